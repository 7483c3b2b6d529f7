package dev.capstan.scheduler.plugins.podtopologyspread;

/**
 * Upstream's criticalPaths: the two domains with the fewest matching pods, kept up to date in O(1) as counts change,
 * so Filter reads the global minimum without scanning every domain (5,000 of them for the hostname key).
 */
final class CriticalPaths {
    private final String[] values = {null, null};
    private final int[] nums = {Integer.MAX_VALUE, Integer.MAX_VALUE};

    void update(String value, int num) {
        int i = value.equals(values[0]) ? 0 : value.equals(values[1]) ? 1 : -1;
        if (i >= 0) {
            nums[i] = num;
            if (nums[0] > nums[1]) {
                swap();
            }
        } else if (num < nums[0]) {
            values[1] = values[0];
            nums[1] = nums[0];
            values[0] = value;
            nums[0] = num;
        } else if (num < nums[1]) {
            values[1] = value;
            nums[1] = num;
        }
    }

    int min() {
        return nums[0];
    }

    CriticalPaths copy() {
        CriticalPaths c = new CriticalPaths();
        c.values[0] = values[0];
        c.values[1] = values[1];
        c.nums[0] = nums[0];
        c.nums[1] = nums[1];
        return c;
    }

    private void swap() {
        String v = values[0];
        values[0] = values[1];
        values[1] = v;
        int n = nums[0];
        nums[0] = nums[1];
        nums[1] = n;
    }
}
