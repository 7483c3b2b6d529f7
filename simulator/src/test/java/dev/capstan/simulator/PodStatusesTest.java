package dev.capstan.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PodStatusesTest {
    @ParameterizedTest
    @CsvSource({
        "nginx, docker.io/library/nginx:latest, docker.io/library/nginx@sha256:",
        "nginx:1.27, docker.io/library/nginx:1.27, docker.io/library/nginx@sha256:",
        "bitnami/redis:7, docker.io/bitnami/redis:7, docker.io/bitnami/redis@sha256:",
        "registry.k8s.io/pause:3.10, registry.k8s.io/pause:3.10, registry.k8s.io/pause@sha256:",
        "localhost:5000/app, localhost:5000/app:latest, localhost:5000/app@sha256:"
    })
    void imagesAreReportedAsARuntimeNormalisesThem(String image, String full, String idPrefix) {
        assertThat(PodStatuses.fullImage(image)).isEqualTo(full);
        assertThat(PodStatuses.imageId(image)).startsWith(idPrefix).hasSize(idPrefix.length() + 64);
    }
}
