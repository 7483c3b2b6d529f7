package dev.capstan.api.resourcemetrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsScraperTest {

    /** A clock the test moves; each scrape also moves it by the retry, as the real sleep would. */
    private static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-12-06T08:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();
    private final List<String> scrapes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private MetricsScraper scraper;

    /** A node whose CPU counter runs at half a core, sampled at the clock's time. */
    private String answer(String node) throws IOException {
        scrapes.add(node);
        if (down.get()) {
            throw new IOException("connection refused");
        }
        long ms = clock.now.toEpochMilli();
        Instant at = clock.now;
        clock.now = clock.now.plusSeconds(1); // the next scrape comes a second later
        double cpu = 100 + (ms % 1_000_000_000L) / 2000.0;
        return "node_cpu_usage_seconds_total " + cpu + " " + at.toEpochMilli() + "\n"
                + "node_memory_working_set_bytes 1048576 " + at.toEpochMilli() + "\n";
    }

    @AfterEach
    void close() {
        if (scraper != null) {
            scraper.close();
        }
    }

    @Test
    void theFirstRequestScrapesTwiceThenAnswersFromTheSamplesItHolds() throws Exception {
        scraper = new MetricsScraper(
                this::answer, clock, Duration.ofSeconds(15), Duration.ofMillis(1), Duration.ofHours(1));
        scraper.refresh(List.of("n1"));
        assertThat(scrapes).containsExactly("n1", "n1");
        Usage usage = scraper.node("n1").orElseThrow();
        assertThat(usage.window()).isEqualTo(Duration.ofSeconds(1));
        assertThat(usage.nanoCores()).isEqualTo(500_000_000L);
        assertThat(usage.memoryBytes()).isEqualTo(1_048_576L);

        clock.now = clock.now.plusSeconds(10);
        scraper.refresh(List.of("n1"));
        assertThat(scrapes).as("still current: no scrape").hasSize(2);

        clock.now = clock.now.plusSeconds(30);
        scraper.refresh(List.of("n1"));
        assertThat(scrapes)
                .as("stale: scraped once, the previous sample gives the rate")
                .hasSize(3);
        assertThat(scraper.node("n1").orElseThrow().window()).isEqualTo(Duration.ofSeconds(41));
    }

    @Test
    void aNodeThatDoesNotAnswerHasNoMetrics() throws Exception {
        scraper = new MetricsScraper(
                this::answer, clock, Duration.ofSeconds(15), Duration.ofMillis(1), Duration.ofHours(1));
        scraper.refresh(List.of("n1"));
        assertThat(scraper.node("n1")).isPresent();
        down.set(true);
        clock.now = clock.now.plusSeconds(60);
        scraper.refresh(List.of("n1"));
        assertThat(scraper.node("n1")).isEmpty();
        assertThat(scraper.node("never-asked")).isEmpty();
    }

    @Test
    void nodesAskedForAreScrapedInTheBackground() throws Exception {
        scraper = new MetricsScraper(
                this::answer, clock, Duration.ofMillis(50), Duration.ofMillis(1), Duration.ofHours(1));
        scraper.refresh(List.of("n1"));
        int before = scrapes.size();
        Thread.sleep(400);
        assertThat(scrapes.size()).isGreaterThan(before + 2);
    }
}
