package dev.capstan.store.internal;

/** The keys under a prefix as a half-open range [start, end) in bytewise (COLLATE "C") order. */
record KeyRange(String start, String end) {

    /** Above every key the store accepts: keys may not start with U+FFFF (see PostgresStore#checkKey). */
    static final String END_OF_KEYS = "\uFFFF";

    static KeyRange prefix(String prefix) {
        if (prefix.isEmpty()) {
            return new KeyRange("", END_OF_KEYS);
        }
        // The smallest string above every string with this prefix: bump the last char. Java's UTF-16 order
        // matches UTF-8 byte order for the characters keys may use (below U+FFFF, no surrogates).
        char last = prefix.charAt(prefix.length() - 1);
        return new KeyRange(prefix, prefix.substring(0, prefix.length() - 1) + (char) (last + 1));
    }

    boolean contains(String key) {
        return key.compareTo(start) >= 0 && key.compareTo(end) < 0;
    }
}
