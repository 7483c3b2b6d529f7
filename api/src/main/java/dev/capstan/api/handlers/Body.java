package dev.capstan.api.handlers;

/** A request body as it arrived: its bytes and the media type it was sent as ("" when none was named). */
public record Body(byte[] bytes, String contentType) {
    public static Body json(byte[] bytes) {
        return new Body(bytes, "application/json");
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }
}
