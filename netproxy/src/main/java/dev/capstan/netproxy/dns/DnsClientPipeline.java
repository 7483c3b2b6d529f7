package dev.capstan.netproxy.dns;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import java.util.function.Consumer;

/** The pipeline of a DNS client over UDP: queries encoded out, responses decoded in and handed over. */
final class DnsClientPipeline {
    private DnsClientPipeline() {}

    /** @param onResponse runs on the channel's event loop; the response is released after it returns */
    static ChannelInitializer<Channel> udp(Consumer<DatagramDnsResponse> onResponse) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline()
                        .addLast(new DatagramDnsQueryEncoder())
                        .addLast(new DatagramDnsResponseDecoder())
                        .addLast(new SimpleChannelInboundHandler<DatagramDnsResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse r) {
                                onResponse.accept(r);
                            }
                        });
            }
        };
    }
}
