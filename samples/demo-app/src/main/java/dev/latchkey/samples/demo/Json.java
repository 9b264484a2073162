package dev.latchkey.samples.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes JSON answers and RFC 9457 problems for the demo servlets, with {@code nosniff} (API.md §4). */
final class Json {

    static final String PROBLEM_TYPE = "application/problem+json";
    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {
    }

    static void write(HttpServletResponse response, int status, Object body) throws IOException {
        send(response, status, "application/json", body);
    }

    static void problem(HttpServletResponse response, int status, String code, String title, String detail)
            throws IOException {
        send(response, status, PROBLEM_TYPE, problemBody(status, code, title, detail));
    }

    /** Returns an RFC 9457 body: {@code type}, {@code title}, {@code status}, {@code detail} and {@code code}. */
    static Map<String, Object> problemBody(int status, String code, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:latchkey:problem:" + code);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        return body;
    }

    private static void send(HttpServletResponse response, int status, String type, Object body) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(body);
        response.setStatus(status);
        // UTF-8 bytes and no character encoding set, so the container adds no ";charset=" (API.md §4's type exactly)
        response.setContentType(type);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff"); // API.md §4, in any container
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
