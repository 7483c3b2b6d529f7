package dev.capstan.node.images;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads back what {@link TarWriter} wrote, so tests check the archive's bytes rather than the writer's calls. */
record TarEntries(Map<String, Entry> entries) {

    record Entry(char type, int mode, long mtime, byte[] content, String linkName) {}

    static TarEntries read(byte[] tar) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        int offset = 0;
        while (offset + 512 <= tar.length && tar[offset] != 0) {
            byte[] header = Arrays.copyOfRange(tar, offset, offset + 512);
            String name = text(header, 0, 100);
            int mode = (int) octal(header, 100, 8);
            long size = octal(header, 124, 12);
            long mtime = octal(header, 136, 12);
            long checksum = octal(header, 148, 8);
            Arrays.fill(header, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            if (sum != checksum) {
                throw new IllegalStateException("Bad checksum for " + name);
            }
            byte[] content = Arrays.copyOfRange(tar, offset + 512, offset + 512 + (int) size);
            entries.put(name, new Entry((char) header[156], mode, mtime, content, text(header, 157, 100)));
            offset += 512 + (int) ((size + 511) / 512 * 512);
        }
        return new TarEntries(entries);
    }

    Entry get(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new AssertionError(name + " is not in the archive: " + entries.keySet());
        }
        return entry;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) {
        String value = text(header, offset, length).trim();
        return value.isEmpty() ? 0 : Long.parseLong(value, 8);
    }
}
