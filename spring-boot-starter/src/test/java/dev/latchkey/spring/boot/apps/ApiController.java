package dev.latchkey.spring.boot.apps;

import dev.latchkey.engine.ApiKeyPrincipal;
import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The routes the test applications serve. */
@RestController
public class ApiController {

    /** Who is calling, as Spring Security sees it. */
    @GetMapping("/hello")
    public Map<String, Object> hello(Authentication authentication) {
        return Map.of("name", authentication.getName(),
                "principal", authentication.getPrincipal().getClass().getSimpleName(),
                "authorities", authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted()
                        .toList());
    }

    /** Needs {@code reports:read}, through method security. */
    @GetMapping("/reports")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    public Map<String, Object> reports(@AuthenticationPrincipal ApiKeyPrincipal caller) {
        return Map.of("tenant", caller.tenantId());
    }

    /** Needs {@code reports:write}, through the chain's request rules. */
    @PostMapping("/reports")
    public Map<String, Object> addReport(@AuthenticationPrincipal ApiKeyPrincipal caller) {
        return Map.of("created", true, "tenant", caller.tenantId());
    }

    /** For the human admin (HTTP Basic). */
    @GetMapping("/admin/stats")
    public Map<String, Object> adminStats(Authentication admin) {
        return Map.of("admin", admin.getName());
    }

    /** Open to anyone ({@code permitAll}). */
    @GetMapping("/public/ping")
    public Map<String, Object> ping() {
        return Map.of("pong", true);
    }

    /** Excluded by {@code latchkey.exclude}. */
    @GetMapping("/status")
    public Map<String, Object> status() {
        return Map.of("up", true);
    }
}
