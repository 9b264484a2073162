package dev.latchkey.samples.security;

import dev.latchkey.engine.ApiKeyPrincipal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Reports per tenant, for API keys; a count for the admin. */
@RestController
public class ReportsController {

    private final List<Map<String, String>> reports = new CopyOnWriteArrayList<>();

    /** Who is calling: the key's id, tenant and authorities. */
    @GetMapping("/hello")
    public Map<String, Object> hello(@AuthenticationPrincipal ApiKeyPrincipal caller, Authentication authentication) {
        return Map.of("key_id", caller.keyId(), "tenant_id", caller.tenantId(), "authorities",
                authentication.getAuthorities().stream().map(Object::toString).sorted().toList());
    }

    /** The caller's tenant's reports: needs {@code reports:read}. */
    @GetMapping("/reports")
    @PreAuthorize("hasAuthority('SCOPE_reports:read')")
    public Map<String, Object> list(@AuthenticationPrincipal ApiKeyPrincipal caller) {
        return Map.of("tenant_id", caller.tenantId(), "reports",
                reports.stream().filter(r -> r.get("tenant_id").equals(caller.tenantId())).toList());
    }

    /** Adds a report: needs {@code reports:write} (a request rule of the security chain). */
    @PostMapping("/reports")
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, String> add(@AuthenticationPrincipal ApiKeyPrincipal caller,
            @RequestParam(defaultValue = "untitled") String title) {
        Map<String, String> report = Map.of("tenant_id", caller.tenantId(), "title", title,
                "created_by", caller.keyId());
        reports.add(report);
        return report;
    }

    /** For the human admin (HTTP Basic, role ADMIN). */
    @GetMapping("/admin/reports/count")
    public Map<String, Object> count(Authentication admin) {
        return Map.of("admin", admin.getName(), "reports", reports.size());
    }
}
