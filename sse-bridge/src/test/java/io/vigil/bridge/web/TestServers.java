package io.vigil.bridge.web;

import io.vigil.bridge.events.HubSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Starts {@link TestServer}s for a test and closes them when it ends: {@code @RegisterExtension}. */
final class TestServers implements AfterEachCallback {

    private final List<TestServer> started = new ArrayList<>();

    TestServer start(int queueSize) {
        return started(new TestServer(queueSize));
    }

    TestServer start(HubSettings hub, WebSettings web) {
        return started(new TestServer(hub, web));
    }

    TestServer start(HubSettings hub, WebSettings web, TestServer.Readers readers) {
        return started(new TestServer(hub, web, readers));
    }

    private TestServer started(TestServer server) {
        started.add(server);
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (TestServer server : started) {
            server.close();
        }
        started.clear();
    }
}
