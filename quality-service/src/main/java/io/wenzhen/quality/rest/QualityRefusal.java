package io.wenzhen.quality.rest;

/** A request quality-service refuses, with its code (docs/errors.md, 105xx). */
public class QualityRefusal extends RuntimeException {

    public enum Error {
        INVALID_RANGE(10501, 400, "from must be before to, at most 92 days apart, as ISO-8601 instants"),
        REPORT_NOT_FOUND(10502, 404, "no report for this consultation (yet: reports come a little after the room closes)"),
        INVALID_REQUEST(10504, 400, "a parameter is missing or malformed"),
        APP_NOT_IN_SCOPE(10505, 403, "the token does not cover this app (its appIds claim)");

        final int code;
        final int status;
        final String message;

        Error(int code, int status, String message) {
            this.code = code;
            this.status = status;
            this.message = message;
        }
    }

    final Error error;

    public QualityRefusal(Error error) {
        super(error.message, null, false, false);
        this.error = error;
    }
}
