package io.vigil.bridge.web;

/** Something a client sent that the bridge will not act on; answered 400 with the message. */
final class BadRequest extends Exception {

    BadRequest(String message) {
        super(message, null, false, false);
    }
}
