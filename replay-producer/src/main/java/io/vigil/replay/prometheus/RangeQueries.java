package io.vigil.replay.prometheus;

import java.io.IOException;
import java.util.List;

/** Range queries against a Prometheus: {@link PrometheusClient} over HTTP. */
public interface RangeQueries {

    /** The series {@code query} gives over {@code [start, end]} (epoch ms) at {@code step} ms. */
    List<PrometheusClient.Samples> queryRange(String query, long start, long end, long step) throws IOException;
}
