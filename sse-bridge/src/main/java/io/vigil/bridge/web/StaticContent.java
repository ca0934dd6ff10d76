package io.vigil.bridge.web;

import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Static files, all from the classpath so the bridge is one self-contained JVM with no CDN: the
 * dashboard from {@code web/} and uPlot from its WebJar. uPlot is served under a version-free path
 * ({@code /webjars/uplot/dist/...}) so the page need not change when the pom bumps the version.
 */
final class StaticContent {

    static final String PAGE_ROOT = "web";
    static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final String CSP = "default-src 'self'; script-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'";

    /** The dashboard: {@code /} is {@code index.html}; other files in {@code web/} by name. */
    static HttpHandler page(ClassLoader loader) {
        ResourceHandler files = new ResourceHandler(new ClassPathResourceManager(loader, PAGE_ROOT))
                .setDirectoryListingEnabled(false);
        // The page changes with each build and is tiny: always revalidate (ETag/Last-Modified).
        files.setCacheTime(0);
        return exchange -> {
            if ("/".equals(exchange.getRelativePath())) {
                // A directory welcome file needs a directory resource, which jars do not reliably have.
                exchange.setRelativePath("/index.html");
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_SECURITY_POLICY, CSP);
            files.handleRequest(exchange);
        };
    }

    /** The uPlot WebJar's files, relative to its versioned root. */
    static HttpHandler uplot(ClassLoader loader) {
        String root = "META-INF/resources/webjars/uplot/" + uplotVersion(loader);
        ResourceHandler files = new ResourceHandler(new ClassPathResourceManager(loader, root))
                .setDirectoryListingEnabled(false);
        files.setCacheTime(3600);
        return files;
    }

    static String uplotVersion(ClassLoader loader) {
        try (InputStream in = loader.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("uPlot WebJar not on the classpath (" + UPLOT_POM + ")");
            }
            Properties pom = new Properties();
            pom.load(in);
            String version = pom.getProperty("version");
            if (version == null || version.isBlank()) {
                throw new IllegalStateException(UPLOT_POM + " has no version");
            }
            return version.trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StaticContent() {}
}
