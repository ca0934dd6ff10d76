package io.vigil.notifier;

import io.vigil.config.Settings;
import io.vigil.notifier.alert.Transition;
import io.vigil.notifier.receiver.Receiver;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotifierConfigTest {

    @Test
    void receiversAndTheirRoutesComeFromSettingsAndTheTokenIsNeverPrinted() {
        NotifierConfig config = NotifierConfig.from(new Settings(new java.util.Properties(), Map.of(
                "VIGIL_NOTIFIER_RECEIVERS", "am, ops",
                "VIGIL_NOTIFIER_RECEIVER_AM_FORMAT", "alertmanager",
                "VIGIL_NOTIFIER_RECEIVER_AM_URL", "http://am:9093/",
                "VIGIL_NOTIFIER_RECEIVER_OPS_URL", "https://ops.example/hook",
                "VIGIL_NOTIFIER_RECEIVER_OPS_KINDS", "node",
                "VIGIL_NOTIFIER_RECEIVER_OPS_PREFIX", "sat-",
                "VIGIL_NOTIFIER_RECEIVER_OPS_TOKEN", "secret-token-123",
                "VIGIL_NOTIFIER_RETRY_ATTEMPTS", "3")));
        Receiver am = config.receivers().get(0);
        Receiver ops = config.receivers().get(1);
        assertEquals(URI.create("http://am:9093/api/v2/alerts"), am.endpoint());
        assertEquals(Set.of(Transition.Kind.values()), am.route().kinds());
        assertEquals(URI.create("https://ops.example/hook"), ops.endpoint());
        assertEquals(Set.of(Transition.Kind.NODE), ops.route().kinds());
        assertEquals("sat-", ops.route().prefix());
        assertEquals(3, config.retry().attempts());
        assertEquals("latest", config.start(), "a new group does not replay old alerts");
        assertFalse(config.toString().contains("secret-token-123"), config.toString());
    }

    @Test
    void backoffDoublesUpToItsCeiling() {
        NotifierConfig.Retry retry = new NotifierConfig.Retry(Duration.ofMillis(500), Duration.ofSeconds(3), 8);
        assertEquals(Duration.ofMillis(500), retry.after(1));
        assertEquals(Duration.ofMillis(1000), retry.after(2));
        assertEquals(Duration.ofMillis(2000), retry.after(3));
        assertEquals(Duration.ofSeconds(3), retry.after(4));
        assertEquals(Duration.ofSeconds(3), retry.after(60));
    }

    @Test
    void aReceiverWithoutAUrlOrWithANameThatIsNoEnvironmentNameIsRefused() {
        IllegalArgumentException noUrl = assertThrows(IllegalArgumentException.class, () -> NotifierConfig.from(
                Settings.of(Map.of("vigil.notifier.receivers", "am"))));
        assertTrue(noUrl.getMessage().contains("notifier.receiver.am.url"), noUrl.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NotifierConfig.from(
                Settings.of(Map.of("vigil.notifier.receivers", "my-hook", "vigil.notifier.receiver.my-hook.url", "http://x"))));
        assertThrows(IllegalArgumentException.class, () -> NotifierConfig.from(Settings.of(Map.of(
                "vigil.notifier.receivers", "a", "vigil.notifier.receiver.a.url", "http://x",
                "vigil.notifier.receiver.a.kinds", "anomaly,weather"))));
    }
}
