package dev.latchkey.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Makes the admin service's Micrometer meters pass {@code promtool check metrics}: the few names, units and help
 * texts in Micrometer's and Jersey's defaults that Prometheus's linter rejects are changed here, in one place, and
 * listed in {@code docs/METRICS.md}. Latchkey's own meters (API.md §6) are not renamed.
 *
 * <ul>
 *   <li>{@code process.cpu.time} is counted in nanoseconds ({@code process_cpu_time_ns_total}: an abbreviated,
 *       non-base unit): it is replaced by the same counter in seconds, {@code process_cpu_time_seconds_total}.</li>
 *   <li>{@code system.cpu.count} ends in {@code _count} without being a histogram or summary: it is renamed
 *       {@code system.cpu.logical} ({@code system_cpu_logical}).</li>
 *   <li>Meters registered without a description get one from {@link #HELP} (Jersey's
 *       {@code http.server.requests} timer has none, so its series had no {@code # HELP}).</li>
 * </ul>
 */
final class PrometheusNaming {

    /** Help text for meters whose binders register them without a description. */
    static final Map<String, String> HELP = Map.of(
            "http.server.requests", "Admin API requests handled, by method, route template, status and outcome",
            "system.cpu.logical", "The number of processors available to the Java virtual machine");

    private static final String CPU_TIME = "process.cpu.time";
    /**
     * The replacement's Micrometer name: it must differ from the denied meter's (a function counter registered twice
     * under one name and tags is refused with a warning); Prometheus renders both as {@code process_cpu_time_seconds}.
     */
    private static final String CPU_TIME_SECONDS = "process.cpu.time.seconds";

    private PrometheusNaming() {
    }

    /**
     * Adds the filters to {@code registry} and registers the process CPU time in seconds. Call it before binders
     * register meters; calling it again on the same registry changes nothing.
     */
    static void configure(MeterRegistry registry) {
        if (registry.find(CPU_TIME_SECONDS).functionCounter() != null) {
            return;
        }
        registry.config()
                .meterFilter(MeterFilter.deny(id -> id.getName().equals(CPU_TIME)))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        Meter.Id out = id.getName().equals("system.cpu.count") ? id.withName("system.cpu.logical") : id;
                        String help = HELP.get(out.getName());
                        if (help != null && (out.getDescription() == null || out.getDescription().isEmpty())) {
                            out = new Meter.Id(out.getName(), io.micrometer.core.instrument.Tags.of(out.getTags()),
                                    out.getBaseUnit(), help, out.getType());
                        }
                        return out;
                    }
                });
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            FunctionCounter.builder(CPU_TIME_SECONDS, sun, PrometheusNaming::cpuSeconds)
                    .description("The CPU time used by the Java virtual machine process")
                    .baseUnit("seconds")
                    .register(registry);
        }
    }

    private static double cpuSeconds(com.sun.management.@Nullable OperatingSystemMXBean os) {
        long ns = os == null ? -1 : os.getProcessCpuTime();
        return ns < 0 ? Double.NaN : ns / 1e9;
    }
}
