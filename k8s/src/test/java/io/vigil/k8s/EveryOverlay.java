package io.vigil.k8s;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A check that runs once for every overlay under k8s/overlays, given the overlay's name. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "overlays/{0}")
@MethodSource("io.vigil.k8s.Manifests#overlays")
@interface EveryOverlay {}
