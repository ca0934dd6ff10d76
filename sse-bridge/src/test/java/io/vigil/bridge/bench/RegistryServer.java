package io.vigil.bridge.bench;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.vigil.schemas.registry.MockSchemaRegistry;
import io.vigil.schemas.registry.SchemaNotFoundException;

import java.net.InetSocketAddress;

/**
 * The read side of the Confluent registry REST API ({@code GET /schemas/ids/{id}}) over an in-JVM
 * {@code mock://} scope, so a bridge in another JVM can decode what this JVM's serializers wrote.
 */
final class RegistryServer implements AutoCloseable {

    private final Undertow undertow;

    RegistryServer(String scope) {
        MockSchemaRegistry registry = MockSchemaRegistry.scope(scope);
        undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(exchange -> {
            String path = exchange.getRelativePath();
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/vnd.schemaregistry.v1+json");
            if (!path.startsWith("/schemas/ids/")) {
                exchange.setStatusCode(StatusCodes.NOT_FOUND);
                exchange.getResponseSender().send("{\"error_code\":404,\"message\":\"not found\"}");
                return;
            }
            try {
                String schema = registry.getById(Integer.parseInt(path.substring("/schemas/ids/".length()))).toString();
                exchange.getResponseSender().send("{\"schema\":" + com.fasterxml.jackson.databind.json.JsonMapper
                        .builder().build().writeValueAsString(schema) + "}");
            } catch (SchemaNotFoundException | NumberFormatException e) {
                exchange.setStatusCode(StatusCodes.NOT_FOUND);
                exchange.getResponseSender().send("{\"error_code\":40403,\"message\":\"Schema not found\"}");
            }
        }).build();
        undertow.start();
    }

    String url() {
        return "http://127.0.0.1:" + ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void close() {
        undertow.stop();
    }
}
