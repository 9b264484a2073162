package dev.latchkey.admin;

import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/** Puts {@link AdminAuthFilter} in front of every resource method whose class is not {@link Unauthenticated}. */
final class AuthBinding implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        Class<?> type = resourceInfo.getResourceClass();
        if (type != null && !type.isAnnotationPresent(Unauthenticated.class)) {
            context.register(AdminAuthFilter.class);
        }
    }
}
