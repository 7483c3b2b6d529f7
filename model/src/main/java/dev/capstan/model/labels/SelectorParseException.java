package dev.capstan.model.labels;

import java.io.Serial;

/**
 * A label or field selector that upstream would refuse, with upstream's message. At the API edge this is a 400.
 */
public final class SelectorParseException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    public SelectorParseException(String message) {
        super(message);
    }
}
