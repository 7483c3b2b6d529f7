package dev.capstan.api.resourcemetrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Scrapes node agents' {@code /metrics/resource} and keeps their last two samples ({@link NodeSeries}); CPU usage is
 * the rate between them, as metrics-server computes it.
 *
 * <p>When scraping happens. metrics-server scrapes every node every 15 s whether anyone asks or not; Capstan
 * scrapes only for someone who asks. A request first {@link #refresh}es the nodes it needs: a node scraped more
 * than {@code resolution} (plus a little slack) ago is scraped now, and when that leaves a series with one sample
 * only (the first request, a new pod), it is scraped once more after {@code retry} (about 1 s), so the first
 * answer comes with a window of about a second instead of a 404. A node asked about within {@code keepWarm} is
 * also scraped every {@code resolution} in the background, so following requests are answered at once from a
 * window of about {@code resolution}; after {@code keepWarm} without a request it is no longer scraped and its
 * samples are dropped. A failed scrape forgets the node's samples (metrics-server drops a node that did not
 * answer), so its metrics are absent until two scrapes succeed again.
 *
 * <p>Threads: each node's series is guarded by its own lock, so concurrent requests never scrape a node twice at
 * once; the nodes of one request are scraped side by side on virtual threads.
 */
public final class MetricsScraper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MetricsScraper.class);
    /** A background scrape can be a little late; within this it still counts as current. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    /** Reads a node agent's {@code /metrics/resource} (Prometheus text); throws when it cannot. */
    @FunctionalInterface
    public interface Source {
        String scrape(String nodeName) throws Exception;
    }

    private final Source source;
    private final Clock clock;
    private final Duration resolution;
    private final Duration retry;
    private final Duration keepWarm;
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService background;

    private static final class Node {
        final ReentrantLock lock = new ReentrantLock();
        final NodeSeries series;
        volatile Instant askedAt;

        Node(Duration resolution, Instant askedAt) {
            series = new NodeSeries(resolution);
            this.askedAt = askedAt; // set before the node is seen: the background pass reads it
        }
    }

    public MetricsScraper(Source source, Clock clock, Duration resolution, Duration retry, Duration keepWarm) {
        this.source = source;
        this.clock = clock;
        this.resolution = resolution;
        this.retry = retry;
        this.keepWarm = keepWarm;
        this.background = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("metrics-scraper").factory());
        background.scheduleWithFixedDelay(
                this::scrapeWarmNodes, resolution.toMillis(), resolution.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** metrics-server's defaults: 15 s resolution; a second scrape after 1 s; kept warm for 5 minutes. */
    public static MetricsScraper withDefaults(Source source, Clock clock) {
        return new MetricsScraper(source, clock, Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    /** Makes the nodes' samples current (see the class comment); blocks for at most two scrapes and the retry. */
    public void refresh(Collection<String> nodeNames) throws InterruptedException {
        Instant now = clock.instant();
        List<Future<?>> running = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : nodeNames) {
                Node node = nodes.computeIfAbsent(name, n -> new Node(resolution, now));
                node.askedAt = now;
                running.add(threads.submit(() -> {
                    refresh(name, node);
                    return null;
                }));
            }
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warnf(e.getCause(), "refreshing the resource metrics failed");
            }
        }
    }

    private void refresh(String name, Node node) throws InterruptedException {
        node.lock.lockInterruptibly();
        try {
            Instant scraped = node.series.scrapedAt();
            if (scraped == null || scraped.plus(resolution).plus(SLACK).isBefore(clock.instant())) {
                scrape(name, node);
            }
            if (node.series.lacksPrevious()) {
                Thread.sleep(retry.toMillis());
                scrape(name, node);
            }
        } finally {
            node.lock.unlock();
        }
    }

    private void scrape(String name, Node node) {
        Instant at = clock.instant();
        try {
            node.series.store(ScrapeBatch.decode(source.scrape(name), at), at);
        } catch (InterruptedException e) {
            LOG.warnf("the scrape of node %s was interrupted", name);
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("cannot scrape the resource metrics of node %s: %s", name, e.getMessage());
            node.series.clear(at);
        }
    }

    private void scrapeWarmNodes() {
        Instant now = clock.instant();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var entry : nodes.entrySet()) {
                Node node = entry.getValue();
                if (node.askedAt.plus(keepWarm).isBefore(now)) {
                    nodes.remove(entry.getKey(), node);
                    continue;
                }
                threads.submit(() -> {
                    if (node.lock.tryLock()) {
                        try {
                            scrape(entry.getKey(), node);
                        } finally {
                            node.lock.unlock();
                        }
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf("background metrics scrape failed: %s", e.getMessage());
        }
    }

    /** The node's usage, if two samples of it are held. */
    public Optional<Usage> node(String nodeName) {
        Node node = nodes.get(nodeName);
        if (node == null) {
            return Optional.empty();
        }
        node.lock.lock();
        try {
            return node.series.node();
        } finally {
            node.lock.unlock();
        }
    }

    /** The pod's usage as reported by {@code nodeName}, if every container has two samples. */
    public Optional<PodUsage> pod(String nodeName, PodKey pod) {
        Node node = nodes.get(nodeName);
        if (node == null) {
            return Optional.empty();
        }
        node.lock.lock();
        try {
            return node.series.pod(pod);
        } finally {
            node.lock.unlock();
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
