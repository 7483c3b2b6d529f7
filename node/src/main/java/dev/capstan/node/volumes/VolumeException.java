package dev.capstan.node.volumes;

/** A volume that cannot be set up; the message is upstream's, as the FailedMount event shows it. */
public final class VolumeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VolumeException(String message) {
        super(message);
    }

    public VolumeException(String message, Throwable cause) {
        super(message, cause);
    }
}
