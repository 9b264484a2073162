package dev.latchkey.admin;

import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;

/**
 * Puts {@link AdminAuthFilter} in front of every resource method whose class is not {@link Unauthenticated}. Jersey's
 * generated {@code OPTIONS} methods have Jersey's handler class, so they get the filter too; it lets those through on
 * an {@link Unauthenticated} resource ({@link AdminAuthFilter#isOpenOptions}).
 */
final class AuthBinding implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        Class<?> type = resourceInfo.getResourceClass();
        if (type != null && !type.isAnnotationPresent(Unauthenticated.class)) {
            context.register(AdminAuthFilter.class);
        }
    }
}
