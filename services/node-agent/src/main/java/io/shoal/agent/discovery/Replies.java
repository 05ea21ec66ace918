package io.shoal.agent.discovery;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.AbstractDnsOptPseudoRrRecord;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.List;

/** The responses the server builds itself: cluster names' addresses, and errors. */
final class Replies {
  /** RFC 1035's UDP limit, for clients that do not say (with EDNS) they take more. */
  static final int PLAIN_UDP_LIMIT = 512;
  /**
   * The most this server sends over UDP to a client that takes more: the DNS Flag Day 2020
   * size, which crosses any path without fragments. Larger answers go over TCP.
   */
  static final int EDNS_UDP_LIMIT = 1232;
  static final int TCP_LIMIT = 65_535;

  /** Answers carry no TTL: see DESIGN.md, Discovery. */
  private static final long TTL = 0;
  private static final int HEADER = 12;
  /** Type, class, TTL, length, and an IPv4 address. */
  private static final int A_RECORD_FIXED = 2 + 2 + 4 + 2 + 4;
  /** Root name, type, class, TTL, empty data. */
  private static final int OPT_RECORD = 1 + 2 + 2 + 4 + 2;

  private Replies() {}

  /** The largest answer {@code query}'s client takes over UDP. */
  static int udpLimit(DatagramDnsQuery query) {
    DnsRecord opt = opt(query);
    return opt == null ? PLAIN_UDP_LIMIT
        : Math.max(PLAIN_UDP_LIMIT, Math.min(EDNS_UDP_LIMIT, opt.dnsClass()));
  }

  /**
   * The answer to {@code query} (a single question) with {@code addresses}, as many as fit in
   * {@code limit} bytes, marked truncated if some did not (the client asks again over TCP).
   */
  static DatagramDnsResponse addresses(DatagramDnsQuery query, InetSocketAddress local,
      List<Inet4Address> addresses, int limit) {
    DnsQuestion question = query.recordAt(DnsSection.QUESTION);
    boolean edns = opt(query) != null;
    int name = encodedLength(question.name());
    int room = limit - HEADER - (name + 4) - (edns ? OPT_RECORD : 0);
    int fit = Math.max(0, Math.min(addresses.size(), room / (name + A_RECORD_FIXED)));
    DatagramDnsResponse response = response(query, local, DnsResponseCode.NOERROR);
    response.setAuthoritativeAnswer(true);
    response.setTruncated(fit < addresses.size());
    for (Inet4Address address : addresses.subList(0, fit)) {
      response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(
          question.name(), DnsRecordType.A, TTL, Unpooled.wrappedBuffer(address.getAddress())));
    }
    if (edns) {
      response.addRecord(DnsSection.ADDITIONAL, new AbstractDnsOptPseudoRrRecord(EDNS_UDP_LIMIT) {});
    }
    return response;
  }

  /** An answer with no record and {@code code}, echoing the question if there is exactly one. */
  static DatagramDnsResponse error(DatagramDnsQuery query, InetSocketAddress local, DnsResponseCode code) {
    return response(query, local, code);
  }

  private static DatagramDnsResponse response(DatagramDnsQuery query, InetSocketAddress local,
      DnsResponseCode code) {
    DatagramDnsResponse response =
        new DatagramDnsResponse(local, query.sender(), query.id(), query.opCode(), code);
    response.setRecursionDesired(query.isRecursionDesired());
    response.setRecursionAvailable(true);
    if (query.count(DnsSection.QUESTION) == 1) {
      // A question holds no buffer: sharing it with the query is safe.
      response.addRecord(DnsSection.QUESTION, query.recordAt(DnsSection.QUESTION));
    }
    return response;
  }

  private static DnsRecord opt(DatagramDnsQuery query) {
    for (int i = 0, n = query.count(DnsSection.ADDITIONAL); i < n; i++) {
      DnsRecord record = query.recordAt(DnsSection.ADDITIONAL, i);
      if (DnsRecordType.OPT.equals(record.type())) {
        return record;
      }
    }
    return null;
  }

  /** The length of {@code name} on the wire as Netty writes it (labels, no compression). */
  static int encodedLength(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return n.isEmpty() ? 1 : n.length() + 2;
  }
}
