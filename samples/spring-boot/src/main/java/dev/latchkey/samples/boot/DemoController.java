package dev.latchkey.samples.boot;

import dev.latchkey.engine.ApiKeyPrincipal;
import dev.latchkey.samples.demo.DemoViews;
import dev.latchkey.samples.demo.ReportBook;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo routes (API.md §7) as a controller. Spring MVC passes {@code request.getUserPrincipal()} to a handler
 * parameter of a {@link java.security.Principal} type, so declaring an {@link ApiKeyPrincipal} parameter is all it
 * takes to read the caller's key id, tenant and scopes; the filter guarantees it is there.
 */
@RestController
public class DemoController {

    private final ReportBook reports;

    /** Creates the controller on the report book. */
    public DemoController(ReportBook reports) {
        this.reports = reports;
    }

    /** {@code GET /health}: no key needed (excluded from the filter). */
    @GetMapping("/health")
    public Map<String, Object> health() {
        return DemoViews.health();
    }

    /** {@code GET /hello}: who is calling. */
    @GetMapping("/hello")
    public Map<String, @Nullable Object> hello(ApiKeyPrincipal caller) {
        return DemoViews.hello(caller);
    }

    /** {@code GET /reports}: the caller's tenant's reports (the filter requires {@code reports:read}). */
    @GetMapping("/reports")
    public Map<String, Object> listReports(ApiKeyPrincipal caller) {
        return reports.list(caller);
    }

    /** {@code POST /reports}: adds a report (the filter requires {@code reports:write}); body {@code {"title":"…"}}. */
    @PostMapping("/reports")
    @ResponseStatus(HttpStatus.CREATED)
    public Map<String, Object> addReport(ApiKeyPrincipal caller,
            @RequestBody(required = false) @Nullable Map<String, Object> body) {
        Object title = body == null ? null : body.get("title");
        if (title != null && !(title instanceof String)) {
            throw new IllegalArgumentException("title must be a string");
        }
        return reports.add(caller, (String) title);
    }

    /** A bad title is a 400 problem. */
    @ExceptionHandler(IllegalArgumentException.class)
    public ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
