package io.vigil.notifier.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.avro.AnomalyEvent;
import io.vigil.avro.AnomalyStatus;
import io.vigil.avro.Detector;
import io.vigil.avro.NodeLiveness;
import io.vigil.avro.NodeState;
import io.vigil.avro.NodeStatus;
import io.vigil.notifier.alert.Transition;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertBodiesTest {

    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-06-02T12:00:00Z");
    private final ObjectMapper json = new ObjectMapper();

    private static Transition segment(AnomalyStatus status, double severity) {
        return Transition.of(AnomalyEvent.newBuilder().setChannelId("grid/m1/v").setStart(START)
                .setEnd(status == AnomalyStatus.CLOSED ? START.plusSeconds(60) : null).setStatus(status)
                .setSeverity(severity).setDetector(Detector.LSTM).setModelVersion(4).build());
    }

    private static Transition node(NodeLiveness liveness) {
        return Transition.of(NodeStatus.newBuilder().setNodeId("n1").setStatus(liveness).setChangedAt(START.plusSeconds(40))
                .setLastHeartbeat(START).setLastState(NodeState.BUSY).setExpectedIntervalMs(10_000).build());
    }

    @Test
    void anOpenSegmentFiresInAlertmanagerUntilItsCloseResolvesTheSameAlert() throws Exception {
        JsonNode open = json.readTree(AlertBodies.alertmanager(segment(AnomalyStatus.OPEN, 2.0), NOW)).get(0);
        JsonNode closed = json.readTree(AlertBodies.alertmanager(segment(AnomalyStatus.CLOSED, 3.0), NOW)).get(0);
        assertEquals(open.get("labels"), closed.get("labels"), "one alert: the same labels");
        assertEquals("VigilAnomaly", open.get("labels").get("alertname").asText());
        assertEquals(START.toString(), open.get("startsAt").asText());
        assertEquals(NOW.plus(AlertBodies.FIRING_HOLD).toString(), open.get("endsAt").asText(), "firing: ends in the future");
        assertEquals(START.plusSeconds(60).toString(), closed.get("endsAt").asText(), "resolved at the segment's end");
        assertEquals("4", closed.get("annotations").get("modelVersion").asText());
    }

    @Test
    void eventTimeAheadOfTheClockIsFiredAndResolvedNoLaterThanNow() throws Exception {
        Instant early = START.minusSeconds(3600); // the clock an hour before the segment
        JsonNode open = json.readTree(AlertBodies.alertmanager(segment(AnomalyStatus.OPEN, 2.0), early)).get(0);
        assertEquals(early.toString(), open.get("startsAt").asText());
        assertTrue(Instant.parse(open.get("endsAt").asText()).isAfter(Instant.parse(open.get("startsAt").asText())));
        assertEquals(START.toString(), open.get("annotations").get("eventStart").asText(), "the event's own time is kept");
        JsonNode closed = json.readTree(AlertBodies.alertmanager(segment(AnomalyStatus.CLOSED, 3.0), early)).get(0);
        assertEquals(early.toString(), closed.get("endsAt").asText(), "resolved now, not when the event time comes");
    }

    @Test
    void aFaultStartsAtTheLastHeartbeatAndItsRecoveryResolvesIt() throws Exception {
        JsonNode faulted = json.readTree(AlertBodies.alertmanager(node(NodeLiveness.FAULTED), NOW)).get(0);
        JsonNode recovered = json.readTree(AlertBodies.alertmanager(node(NodeLiveness.RECOVERED), NOW)).get(0);
        assertEquals(faulted.get("labels"), recovered.get("labels"));
        assertEquals(START.toString(), faulted.get("startsAt").asText());
        assertEquals(START.plusSeconds(40).toString(), recovered.get("endsAt").asText());
        assertNull(node(NodeLiveness.ALIVE), "a first heartbeat or a change of state is no alert");
    }

    @Test
    void eachTransitionHasItsOwnIdAndSharesItsAlertsKey() throws Exception {
        Transition open = segment(AnomalyStatus.OPEN, 2.0);
        Transition closed = segment(AnomalyStatus.CLOSED, 3.0);
        assertFalse(open.id().equals(closed.id()));
        assertEquals(open.alertKey(), closed.alertKey());
        JsonNode body = json.readTree(AlertBodies.webhook(closed));
        assertEquals(closed.id(), body.get("id").asText());
        assertEquals("CLOSED", body.get("transition").asText());
        assertFalse(body.get("firing").asBoolean());
        assertEquals(3.0, body.get("severity").asDouble());
    }

    @Test
    void aRouteFiltersByKindPrefixAndOpeningSeverityButLetsEveryCloseThrough() {
        Route route = new Route(Set.of(Transition.Kind.ANOMALY), "grid/", 2.5);
        assertFalse(route.matches(segment(AnomalyStatus.OPEN, 2.0)));
        assertTrue(route.matches(segment(AnomalyStatus.OPEN, 2.5)));
        assertTrue(route.matches(segment(AnomalyStatus.CLOSED, 0.1)), "a close is never held back");
        assertFalse(route.matches(node(NodeLiveness.FAULTED)), "not its kind");
        assertFalse(new Route(Set.of(Transition.Kind.ANOMALY), "sat/", 0).matches(segment(AnomalyStatus.OPEN, 9)));
        assertTrue(Route.ALL.matches(node(NodeLiveness.FAULTED)));
    }
}
