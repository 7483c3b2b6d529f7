package dev.capstan.netproxy.dns;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;

/** Epoll when the native library loads (SO_REUSEPORT: one UDP socket per event loop), else NIO. */
record Transport(
        boolean epoll, Class<? extends DatagramChannel> datagram, Class<? extends ServerSocketChannel> server) {

    static Transport best() {
        return Epoll.isAvailable()
                ? new Transport(true, EpollDatagramChannel.class, EpollServerSocketChannel.class)
                : new Transport(false, NioDatagramChannel.class, NioServerSocketChannel.class);
    }

    EventLoopGroup group(int threads, ThreadFactory factory) {
        return epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }
}
