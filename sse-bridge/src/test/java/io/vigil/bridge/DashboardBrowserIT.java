package io.vigil.bridge;

import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.ChannelScore;
import io.vigil.avro.Detector;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeState;
import io.vigil.bridge.testing.Await;
import io.vigil.bridge.testing.Producer;
import io.vigil.bridge.web.WebSettings;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.topology.it.EmbeddedKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard in real headless Chromium against the bridge fed by a real broker: records are
 * produced in the registry wire format, the page must show them. Saves {@code dashboard.png} (channel
 * view with predicted and labeled anomalies) and {@code dashboard-fleet.png} under
 * {@code target/screenshots}, not over the committed copies in {@code docs/}: a test run leaves the
 * source tree as it found it (copy them to {@code docs/} on purpose).
 */
class DashboardBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String CHANNEL = "P-1";
    private static final long MINUTE = 60_000;
    /** Points of each channel produced before the page opens. */
    private static final int HISTORY = 40;
    private static final Path SCREENSHOTS = Path.of(System.getProperty("user.dir")).resolve("target/screenshots");

    private final String scope = "browser-it-" + UUID.randomUUID();
    private EmbeddedKafka kafka;
    private Producer producer;
    private SseBridge bridge;
    private WebDriver browser;
    private Path profile;
    private final long clock = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli();

    @BeforeEach
    void start() throws Exception {
        kafka = new EmbeddedKafka();
        kafka.createTopics(3);
        producer = new Producer(kafka.bootstrapServers(), "mock://" + scope);
        profile = Files.createTempDirectory("vigil-chromium-");
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (bridge != null) {
            bridge.close();
        }
        producer.close();
        kafka.close();
        MockSchemaRegistry.dropScope(scope);
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    @Test
    void liveScoresAnomaliesNodesAndAResumeAfterTheBridgeRestarts() throws Exception {
        // A fleet before the page opens: twelve channels (one in an anomaly, one warming up), a
        // ground-truth label, nodes in every state.
        for (int c = 0; c < 12; c++) {
            String id = c == 0 ? CHANNEL : String.format("%s-%d", c % 2 == 0 ? "A" : "E", c);
            for (int i = 0; i < HISTORY; i++) {
                boolean anomalous = id.equals("E-5") && i >= HISTORY - 4;
                double v = Math.sin(i / 4.0 + c) + (anomalous ? 2.5 : 0);
                ChannelScore score = point(id, clock - (HISTORY - i) * MINUTE, v, anomalous);
                if (id.equals("A-10")) {
                    score.setThreshold(Double.NaN);
                }
                producer.score(score);
            }
        }
        producer.anomaly("E-5", clock - 4 * MINUTE, null, AnomalyStatus.OPEN);
        producer.label(CHANNEL, pointTime(150), pointTime(174));
        // Nodes as the topology announces them at their first heartbeat, before any has faulted.
        producer.node("node-1", NodeLiveness.ALIVE, NodeState.ONLINE, System.currentTimeMillis());
        producer.node("node-2", NodeLiveness.ALIVE, NodeState.BUSY, System.currentTimeMillis());
        producer.node("node-3", NodeLiveness.ALIVE, NodeState.PARKED, System.currentTimeMillis());
        producer.node("<b>node-4</b>", NodeLiveness.ALIVE, NodeState.ONLINE, System.currentTimeMillis());

        int port = freePort();
        BridgeConfig config = BridgeConfig.local(kafka.bootstrapServers(), "mock://" + scope)
                .withWeb(WebSettings.local(port));
        bridge = SseBridge.start(config);
        // A page opened before the feed has read the look-back would get everything as live events.
        Await.bridgeReady(WAIT, port);
        browser = chromium();
        browser.get("http://127.0.0.1:" + port + "/");

        // Fleet: every channel and node, with state; text from the data stays text.
        await("twelve channel rows", d -> d.findElements(By.cssSelector("#channels tbody tr")).size() == 12);
        List<WebElement> rows = browser.findElements(By.cssSelector("#channels tbody tr"));
        assertEquals("E-5", rows.get(0).getAttribute("data-channel"), "sorted by state: the anomaly first");
        assertEquals("ANOMALY", rows.get(0).getAttribute("data-status"));
        assertEquals("WARMING_UP", rows.get(1).getAttribute("data-status"));
        browser.findElement(By.id("search")).sendKeys("europa");
        await("search by source", d -> d.findElements(By.cssSelector("#channels tbody tr")).size() == 6);
        browser.findElement(By.id("search")).clear();
        browser.findElement(By.id("search")).sendKeys(" ");
        browser.findElement(By.id("search")).sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
        await("all rows again", d -> d.findElements(By.cssSelector("#channels tbody tr")).size() == 12);
        await("four node chips", d -> d.findElements(By.cssSelector("#fleet-nodes .chip")).size() == 4);
        assertEquals("<b>node-4</b> · ONLINE", browser.findElement(By.cssSelector("[data-node='<b>node-4</b>']")).getText());
        assertTrue(browser.findElements(By.tagName("b")).isEmpty(), "no markup from the data");

        // Channel view: it opens with the 40 points the channel had before the page loaded, from the
        // bridge's history; then live points are drawn after them.
        browser.findElement(By.cssSelector("#channels tr[data-channel='" + CHANNEL + "']")).click();
        await("the channel view", d -> d.findElement(By.id("view-channel")).isDisplayed());
        await("its history drawn at once", d -> points() == HISTORY);
        assertEquals(0, attribute("data-received"), "none of them came live");
        screenshot("dashboard-channel-history.png");
        produceSeries(0, 120);
        await("live points drawn", d -> points() == HISTORY + 120);

        // An anomaly: anomalous points and an OPEN, then CLOSED, segment; the label band was there before.
        produceSeries(120, 158);
        producer.anomaly(CHANNEL, pointTime(155), null, AnomalyStatus.OPEN);
        await("a predicted anomaly band", d -> attribute("data-predicted-bands") == 1);
        produceSeries(158, 170);
        producer.anomaly(CHANNEL, pointTime(155), pointTime(167), AnomalyStatus.CLOSED);
        produceSeries(170, 240);
        await("all points", d -> points() == HISTORY + 240);
        await("a ground-truth band", d -> attribute("data-label-bands") == 1);
        assertEquals(1, attribute("data-predicted-bands"), "the segment and its anomalous points: one band");
        assertTrue(browser.findElement(By.id("channel-info")).getText().contains("anomalies 1 · labels 1"));

        // Every node is on the node view before any has faulted, in the state it reports.
        browser.findElement(By.id("nav-nodes")).click();
        await("four node cards", d -> d.findElements(By.cssSelector("#node-grid [data-node]")).size() == 4);
        assertEquals(List.of("ONLINE", "BUSY", "PARKED"), List.of("node-1", "node-2", "node-3").stream()
                .map(n -> browser.findElement(By.cssSelector("#node-grid [data-node='" + n + "']")).getAttribute("data-state"))
                .toList());
        String alive = browser.findElement(By.cssSelector("#node-grid [data-node='node-2']")).getText();
        assertTrue(alive.contains("last heartbeat") && alive.contains(" · BUSY for") && alive.contains("ALIVE at"), alive);

        // Heartbeats are not status changes, yet the node view shows the latest one within seconds.
        long beat = System.currentTimeMillis() + 1;
        producer.heartbeat("node-1", NodeState.ONLINE, beat);
        await("node-1's latest heartbeat", d -> Long.toString(beat).equals(
                d.findElement(By.cssSelector("#node-grid [data-node='node-1'] .since")).getAttribute("data-last-seen")));

        // A node turns FAULTED.
        producer.node("node-2", NodeLiveness.FAULTED, NodeState.BUSY, System.currentTimeMillis() - 4000);
        await("node-2 faulted", d -> "FAULTED".equals(
                d.findElement(By.cssSelector("#node-grid [data-node='node-2']")).getAttribute("data-state")));
        String since = browser.findElement(By.cssSelector("#node-grid [data-node='node-2'] .since")).getText();
        await(() -> "the time since its heartbeat ticks: it said '" + since + "' and still says '"
                + browser.findElement(By.cssSelector("#node-grid [data-node='node-2'] .since")).getText() + "'; the page's clock "
                + ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return Date.now()") + ", this JVM's "
                + System.currentTimeMillis(), d -> !since.equals(
                d.findElement(By.cssSelector("#node-grid [data-node='node-2'] .since")).getText()));
        assertNoScriptErrors();

        // Fleet screenshot, then back to the channel.
        browser.findElement(By.id("nav-fleet")).click();
        await("the fleet view", d -> d.findElement(By.id("view-fleet")).isDisplayed());
        Thread.sleep(1200); // sparklines are drawn once a second
        screenshot("dashboard-fleet.png");
        browser.navigate().to("http://127.0.0.1:" + port + "/#/channel/" + CHANNEL);
        await("the channel again, its history merged once more without a repeat", d -> points() == HISTORY + 240);

        // Resume: the bridge goes away, points are produced meanwhile, a new bridge comes up.
        bridge.close();
        await("the page says it is disconnected", d -> "warn".equals(status().getAttribute("data-state"))
                || "bad".equals(status().getAttribute("data-state")));
        produceSeries(240, 300);
        bridge = SseBridge.start(config);
        await("the points produced while disconnected", d -> points() == HISTORY + 300);
        Thread.sleep(1500);
        assertEquals(300, attribute("data-received"), "each point once: none missed, none twice");
        assertEquals(String.valueOf(value(299)), browser.findElement(By.id("chart-value")).getAttribute("data-last-value"));
        await("live again", d -> "ok".equals(status().getAttribute("data-state")));
        screenshot("dashboard.png");
    }

    /** Points {@code from..to-1} of the demo series: a noisy wave with a burst at 150-170. */
    private void produceSeries(int from, int to) {
        for (int i = from; i < to; i++) {
            boolean anomalous = i >= 155 && i < 168;
            producer.score(point(CHANNEL, pointTime(i), value(i), anomalous));
        }
    }

    private long pointTime(int i) {
        return clock + (i + 1) * MINUTE;
    }

    private static double value(int i) {
        double wave = 10 + 3 * Math.sin(i / 12.0) + 0.4 * Math.sin(i * 1.7);
        return i >= 152 && i < 170 ? wave + 6 * Math.exp(-Math.pow((i - 160) / 4.0, 2)) + 1.5 : wave;
    }

    private ChannelScore point(String channel, long time, double value, boolean anomalous) {
        double forecast = value - 0.3 * Math.sin(time / (7.0 * MINUTE));
        double error = Math.abs(value - forecast) + (anomalous ? 2.0 : 0);
        return ChannelScore.newBuilder().setChannelId(channel).setSource(channel.startsWith("E") ? "europa" : "smap")
                .setEventTime(Instant.ofEpochMilli(time)).setValue(value).setForecast(anomalous ? value - 3 : forecast)
                .setError(error).setSmoothedError(error * 0.8).setThreshold(1.2).setAnomalous(anomalous)
                .setDetector(Detector.LSTM).setModelVersion(3).setScoredAt(Instant.now()).build();
    }

    private WebDriver chromium() {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,900", "--force-device-scale-factor=1");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        return new ChromeDriver(service, options);
    }

    private void assertNoScriptErrors() {
        List<LogEntry> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertTrue(severe.isEmpty(), "browser errors: " + severe);
    }

    private void screenshot(String name) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        assertTrue(png.length < 300_000, name + " is " + png.length + " bytes");
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), png);
    }

    private WebElement status() {
        return browser.findElement(By.id("status"));
    }

    private long points() {
        return attribute("data-points");
    }

    private long attribute(String name) {
        String value = browser.findElement(By.id("chart-value")).getAttribute(name);
        return value == null || value.isEmpty() ? -1 : Long.parseLong(value);
    }

    private void await(String what, Function<WebDriver, Boolean> condition) {
        await(() -> what, condition);
    }

    /** With a message made when the wait fails, so that it can say what the page showed then. */
    private void await(java.util.function.Supplier<String> what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, WAIT).withMessage(what).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(condition::apply);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
