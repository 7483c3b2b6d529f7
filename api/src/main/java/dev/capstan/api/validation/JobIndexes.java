package dev.capstan.api.validation;

/** The Job index-interval lists ("1,3-5,7") of status.completedIndexes and status.failedIndexes. */
final class JobIndexes {
    private JobIndexes() {}

    /** A parse result: the number of indexes, or upstream's error text. */
    record Result(long total, String error) {}

    private record Interval(long from, long to, String error) {}

    /** validateIndexesFormat: intervals below completions, in strictly increasing order. */
    static Result check(String indexes, long completions) {
        if (indexes.isEmpty()) {
            return new Result(0, null);
        }
        Long last = null;
        long total = 0;
        for (String part : indexes.split(",", -1)) {
            Interval iv = parse(part, completions);
            if (iv.error() != null) {
                return new Result(0, iv.error());
            }
            if (last != null && last >= iv.from()) {
                return new Result(0, "non-increasing order, previous: " + last + ", current: " + iv.from());
            }
            total += iv.to() - iv.from() + 1;
            last = iv.to();
        }
        return new Result(total, null);
    }

    /** validateFailedIndexesNotOverlapCompleted: walks both sorted lists, skipping intervals that do not parse. */
    static String overlap(String completed, String failed, long completions) {
        if (completed.isEmpty() || failed.isEmpty()) {
            return null;
        }
        String[] cs = completed.split(",", -1);
        String[] fs = failed.split(",", -1);
        int ci = 0;
        int fi = 0;
        Interval c = parse(cs[0], completions);
        Interval f = parse(fs[0], completions);
        while (ci < cs.length && fi < fs.length) {
            if (c.error() != null) {
                ci++;
                if (ci < cs.length) {
                    c = parse(cs[ci], completions);
                }
            } else if (f.error() != null) {
                fi++;
                if (fi < fs.length) {
                    f = parse(fs[fi], completions);
                }
            } else {
                if (c.from() <= f.to() && f.from() <= c.to()) {
                    return "failedIndexes and completedIndexes overlap at index: " + Math.max(c.from(), f.from());
                }
                if (c.from() <= f.from()) {
                    ci++;
                    if (ci < cs.length) {
                        c = parse(cs[ci], completions);
                    }
                } else {
                    fi++;
                    if (fi < fs.length) {
                        f = parse(fs[fi], completions);
                    }
                }
            }
        }
        return null;
    }

    private static Interval parse(String interval, long completions) {
        String[] limits = interval.split("-", -1);
        if (limits.length > 2) {
            return error("the fragment " + GoFormat.quote(interval)
                    + " violates the requirement that an index interval can have at most two parts separated by '-'");
        }
        Long x = atoi(limits[0]);
        if (x == null) {
            return error("cannot convert string to integer for index: " + GoFormat.quote(limits[0]));
        }
        if (x >= completions) {
            return error("too large index: " + GoFormat.quote(limits[0]));
        }
        if (limits.length == 1) {
            return new Interval(x, x, null);
        }
        Long y = atoi(limits[1]);
        if (y == null) {
            return error("cannot convert string to integer for index: " + GoFormat.quote(limits[1]));
        }
        if (y >= completions) {
            return error("too large index: " + GoFormat.quote(limits[1]));
        }
        if (x >= y) {
            return error("non-increasing order, previous: " + x + ", current: " + y);
        }
        return new Interval(x, y, null);
    }

    private static Interval error(String msg) {
        return new Interval(0, 0, msg);
    }

    /** Go's strconv.Atoi: an optional sign and decimal digits only. */
    private static Long atoi(String s) {
        if (!s.matches("[+-]?[0-9]+")) {
            return null;
        }
        try {
            return Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
