package dev.capstan.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capstan.model.json.KubeJson;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** fabric8 types a Lease's MicroTimes as ZonedDateTime: the one mapper reads and writes them as on the wire. */
class LeaseJsonTest {
    @Test
    void leaseTimesRoundTripInTheirWireFormat() throws Exception {
        String wire = "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"n1\","
                + "\"namespace\":\"kube-node-lease\"},\"spec\":{\"holderIdentity\":\"n1\",\"leaseDurationSeconds\":40,"
                + "\"renewTime\":\"2026-12-06T03:20:01.123456Z\"}}";
        Lease lease = KubeJson.MAPPER.readValue(wire.getBytes(StandardCharsets.UTF_8), Lease.class);
        assertThat(lease.getSpec().getRenewTime().getNano()).isEqualTo(123_456_000);
        String written = KubeJson.MAPPER.writeValueAsString(lease);
        assertThat(KubeJson.readTree(written.getBytes(StandardCharsets.UTF_8))
                        .path("spec")
                        .path("renewTime")
                        .asText())
                .isEqualTo("2026-12-06T03:20:01.123456Z");
    }
}
