package dev.capstan.node.volumes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records tmpfs mounts instead of making them: mount point → size. */
public final class FakeMounter implements Mounter {
    private final Map<Path, Long> mounts = new LinkedHashMap<>();
    private final List<Path> unmounted = new ArrayList<>();

    @Override
    public synchronized void mountTmpfs(Path dir, long sizeBytes) {
        if (mounts.containsKey(dir)) {
            throw new VolumeException(dir + " is already mounted");
        }
        mounts.put(dir, sizeBytes);
    }

    @Override
    public synchronized void unmount(Path dir) {
        if (mounts.remove(dir) == null) {
            throw new VolumeException(dir + " is not mounted");
        }
        unmounted.add(dir);
    }

    @Override
    public synchronized List<Path> mountsUnder(Path dir) {
        return mounts.keySet().stream().filter(p -> p.startsWith(dir)).toList();
    }

    public synchronized Map<Path, Long> mounts() {
        return Map.copyOf(mounts);
    }

    public synchronized List<Path> unmounted() {
        return List.copyOf(unmounted);
    }
}
