package io.vigil.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.avro.ChannelScore;
import io.vigil.avro.TelemetryPoint;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryTest {

    static final Schema V1 = SchemaBuilder.record("Reading").namespace("test").fields()
            .requiredString("id").endRecord();
    static final Schema V2 = SchemaBuilder.record("Reading").namespace("test").fields()
            .requiredString("id").name("unit").type().stringType().stringDefault("").endRecord();
    static final Schema V2_NO_DEFAULT = SchemaBuilder.record("Reading").namespace("test").fields()
            .requiredString("id").requiredString("unit").endRecord();

    private final MockSchemaRegistry registry = new MockSchemaRegistry();

    @Test
    void idsAreGlobalAndVersionsPerSubject() {
        assertEquals(1, registry.register("a-value", V1));
        assertEquals(2, registry.register("a-value", V2));
        assertEquals(1, registry.register("b-value", V1), "an identical schema keeps its id in another subject");
        assertEquals(3, registry.register("c-value", TelemetryPoint.getClassSchema()));
        assertEquals(2, registry.register("b-value", V2));
        assertEquals(new RegisteredSchema("a-value", 2, 2, V2), registry.getLatest("a-value"));
        assertEquals(new RegisteredSchema("b-value", 2, 2, V2), registry.getLatest("b-value"));
        assertEquals(new RegisteredSchema("c-value", 1, 3, TelemetryPoint.getClassSchema()), registry.getLatest("c-value"));
        assertEquals(List.of("a-value", "b-value", "c-value"), registry.subjects());
    }

    @Test
    void registeringAgainIsIdempotent() {
        int id = registry.register("a-value", V1);
        registry.register("a-value", V2);
        assertEquals(id, registry.register("a-value", V1), "an older version is not added again");
        assertEquals(2, registry.getLatest("a-value").version());
        assertEquals(V1, registry.getById(id));
    }

    @Test
    void lookupsSayWhatIsMissing() {
        SchemaNotFoundException noSubject = assertThrows(SchemaNotFoundException.class, () -> registry.getId("a-value", V1));
        assertEquals(40401, noSubject.errorCode());
        assertEquals(404, noSubject.httpStatus());
        registry.register("a-value", V1);
        registry.register("b-value", V2);
        assertEquals(40403, assertThrows(SchemaNotFoundException.class, () -> registry.getId("a-value", V2)).errorCode());
        assertEquals(40403, assertThrows(SchemaNotFoundException.class, () -> registry.getById(99)).errorCode());
        assertEquals(40401, assertThrows(SchemaNotFoundException.class, () -> registry.getLatest("c-value")).errorCode());
    }

    @Test
    void compatibilityIsBackwardAgainstTheLatest() {
        assertTrue(registry.isCompatible("a-value", V2_NO_DEFAULT), "no versions: anything goes");
        registry.register("a-value", V1);
        assertTrue(registry.isCompatible("a-value", V2));
        assertFalse(registry.isCompatible("a-value", V2_NO_DEFAULT));
        RegistryException e = assertThrows(RegistryException.class, () -> registry.register("a-value", V2_NO_DEFAULT));
        assertEquals(409, e.httpStatus());
        assertFalse(e instanceof SchemaNotFoundException);
        assertEquals(1, registry.getLatest("a-value").version(), "the refused schema was not added");
    }

    @Test
    void scopesAreSharedUntilDropped() {
        MockSchemaRegistry a = MockSchemaRegistry.scope("mock-test-scope");
        try {
            assertSame(a, MockSchemaRegistry.scope("mock-test-scope"));
            assertNotSame(a, MockSchemaRegistry.scope("mock-test-other"));
            a.register("x-value", V1);
            MockSchemaRegistry.dropScope("mock-test-scope");
            MockSchemaRegistry fresh = MockSchemaRegistry.scope("mock-test-scope");
            assertNotSame(a, fresh);
            assertEquals(List.of(), fresh.subjects());
        } finally {
            MockSchemaRegistry.dropScope("mock-test-scope");
            MockSchemaRegistry.dropScope("mock-test-other");
        }
    }

    @Test
    void concurrentRegistrationsAgreeOnIds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Set<Integer> pointIds = ConcurrentHashMap.newKeySet();
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String subject = "s" + (i % 8) + "-value";
                futures.add(pool.submit(() -> {
                    start.await();
                    pointIds.add(registry.register(subject, TelemetryPoint.getClassSchema()));
                    registry.register("scores-value", ChannelScore.getClassSchema());
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            assertEquals(1, pointIds.size(), "one id for one schema, whoever registered it first");
            assertEquals(1, registry.getLatest("scores-value").version());
            assertEquals(9, new HashSet<>(registry.subjects()).size());
        } finally {
            pool.shutdownNow();
        }
    }
}
