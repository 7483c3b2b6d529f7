package dev.capstan.scheduler.framework;

/**
 * Upstream's ImageStateSummary: an image's size and on how many nodes it is present. Shared by the NodeInfos of all
 * nodes that have the image; the cache updates {@link #numNodes} under its lock and readers may see a slightly older
 * count, which only nudges ImageLocality's score.
 */
public final class ImageState {
    private final long size;
    private volatile int numNodes;

    public ImageState(long size, int numNodes) {
        this.size = size;
        this.numNodes = numNodes;
    }

    public long size() {
        return size;
    }

    public int numNodes() {
        return numNodes;
    }

    public void numNodes(int n) {
        this.numNodes = n;
    }
}
