package io.wenzhen.auth.rest;

/** The body of every error answer: a documented numeric code (docs/errors.md), its name, and a safe message. */
public record ErrorBody(int code, String error, String message) {
}
