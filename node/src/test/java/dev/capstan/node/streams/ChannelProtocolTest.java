package dev.capstan.node.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChannelProtocolTest {

    @Test
    void binaryMessagesAreChannelThenData() {
        var message = ChannelProtocol.binary(Buffer.buffer(new byte[] {2, 'h', 'i'}));
        assertThat(message.channel()).isEqualTo(2);
        assertThat(message.data().toString()).isEqualTo("hi");
        assertThat(ChannelProtocol.binary(Buffer.buffer())).isNull();
        assertThat(ChannelProtocol.frame(1, Buffer.buffer("out")).getBytes()).containsExactly(1, 'o', 'u', 't');
        assertThat(ChannelProtocol.binary(Buffer.buffer(new byte[] {(byte) 255, 0}))
                        .channel())
                .as("the close channel is unsigned")
                .isEqualTo(255);
    }

    @Test
    void base64MessagesAreADigitThenBase64() {
        var message = ChannelProtocol.text("0aGkK");
        assertThat(message.channel()).isZero();
        assertThat(message.data().toString()).isEqualTo("hi\n");
        assertThat(ChannelProtocol.text("")).isNull();
        assertThat(ChannelProtocol.text("x")).isNull();
        assertThat(ChannelProtocol.text("1!!")).as("not base64").isNull();
    }

    @Test
    void onlyV5ClosesStdinAndOnlyWith255Then0() {
        var close = ChannelProtocol.binary(Buffer.buffer(new byte[] {(byte) 255, 0}));
        assertThat(ChannelProtocol.V5.closesStdin(close)).isTrue();
        assertThat(ChannelProtocol.V4.closesStdin(close)).isFalse();
        assertThat(ChannelProtocol.V5.closesStdin(ChannelProtocol.binary(Buffer.buffer(new byte[] {(byte) 255, 1}))))
                .as("closing stdout is not closing stdin")
                .isFalse();
        assertThat(ChannelProtocol.V5.closesStdin(ChannelProtocol.binary(Buffer.buffer(new byte[] {0, 0}))))
                .isFalse();
    }

    @Test
    void subprotocolsByName() {
        assertThat(ChannelProtocol.of("v5.channel.k8s.io")).isEqualTo(ChannelProtocol.V5);
        assertThat(ChannelProtocol.of("v4.base64.channel.k8s.io")).isEqualTo(ChannelProtocol.V4_BASE64);
        assertThat(ChannelProtocol.of("v3.channel.k8s.io")).isNull();
        assertThat(ChannelProtocol.of(ChannelProtocol.SPDY_PORT_FORWARD)).isNull();
    }

    @Test
    void portsFromPortOrPortsRepeatedOrCommaSeparated() {
        MultiMap query =
                MultiMap.caseInsensitiveMultiMap().add("port", "80,8080").add("ports", "9000");
        assertThat(StreamingHandler.ports(query)).containsExactly(80, 8080, 9000);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|query parameter \"port\" cannot be empty",
                "http|unable to parse \"http\" as a port",
                "0|port \"0\" must be > 0",
                "80,70000|port \"80,70000\" must be > 0",
            })
    void badPortsAreRefusedWithTheKubeletsMessages(String value, String message) {
        assertThatThrownBy(() -> StreamingHandler.ports(
                        MultiMap.caseInsensitiveMultiMap().add("port", value)))
                .hasMessage(message);
        assertThatThrownBy(() -> StreamingHandler.ports(MultiMap.caseInsensitiveMultiMap()))
                .hasMessage("query parameter \"port\" is required");
    }
}
