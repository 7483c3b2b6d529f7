package dev.capstan.node.logs;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * One line of a CRI log file, {@code <RFC3339Nano> <stdout|stderr> <P|F>[:tags] <text>} (upstream logs.go parseCRILog):
 * a partial (P) line loses its newline so that the pieces join; a full (F) line keeps it.
 *
 * @param log the text, with its newline unless partial
 */
record CriLogLine(OffsetDateTime timestamp, boolean stderr, byte[] log) {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    /** @throws IllegalArgumentException when the line is not in CRI format */
    static CriLogLine parse(byte[] line) {
        int ts = indexOf(line, 0);
        if (ts < 0) {
            throw new IllegalArgumentException("timestamp is not found");
        }
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(new String(line, 0, ts, StandardCharsets.US_ASCII));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("unexpected timestamp format: " + e.getMessage());
        }
        int stream = indexOf(line, ts + 1);
        if (stream < 0) {
            throw new IllegalArgumentException("stream type is not found");
        }
        String streamType = new String(line, ts + 1, stream - ts - 1, StandardCharsets.US_ASCII);
        if (!streamType.equals("stdout") && !streamType.equals("stderr")) {
            throw new IllegalArgumentException("unexpected stream type \"" + streamType + "\"");
        }
        int tag = indexOf(line, stream + 1);
        if (tag < 0) {
            throw new IllegalArgumentException("log tag is not found");
        }
        // Only the first ':'-separated tag matters (forward compatible, as upstream).
        boolean partial = line[stream + 1] == 'P' && (tag == stream + 2 || line[stream + 2] == ':');
        int end = line.length;
        if (partial && end > 0 && line[end - 1] == '\n') {
            end--;
        }
        return new CriLogLine(
                time, streamType.equals("stderr"), Arrays.copyOfRange(line, tag + 1, Math.max(end, tag + 1)));
    }

    /** Go's time.RFC3339Nano: fractional seconds without trailing zeros, Z for UTC, else the line's own offset. */
    static String format(OffsetDateTime t) {
        StringBuilder b = new StringBuilder(SECONDS.format(t));
        int nanos = t.getNano();
        if (nanos != 0) {
            String frac = String.format("%09d", nanos);
            int n = frac.length();
            while (frac.charAt(n - 1) == '0') {
                n--;
            }
            b.append('.').append(frac, 0, n);
        }
        int offset = t.getOffset().getTotalSeconds();
        if (offset == 0) {
            return b.append('Z').toString();
        }
        return b.append(t.getOffset().getId()).toString();
    }

    private static int indexOf(byte[] line, int from) {
        for (int i = from; i < line.length; i++) {
            if (line[i] == ' ') {
                return i;
            }
        }
        return -1;
    }
}
