package io.vigil.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.config.BuildInfo;

/**
 * A service's one meter registry, scraped at {@code /metrics}: the JVM's memory, GC, thread,
 * class-loading, CPU and uptime meters, and {@code vigil_build_info{service,version}} (always 1) so a
 * dashboard can tell which version each instance runs. Components register their own meters on it.
 */
public final class ServiceMeters implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ServiceMeters(String service) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("vigil.build.info", () -> 1).description("the service and the Vigil version it runs")
                .tag("service", service).tag("version", BuildInfo.version()).register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        // The GC binder holds JMX notification listeners; without close they outlive the registry.
        gc.close();
        registry.close();
    }
}
