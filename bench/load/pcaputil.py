"""Minimal reader for classic pcap files (as written by `dumpcap -P`): UDP over IPv4."""
import struct

_LINK_OFFSETS = {1: (14, 12), 113: (16, 14), 276: (20, 0), 0: (4, None)}


def udp_packets(path):
    """Yields (epoch_seconds, src_port, dst_port, udp_payload) for every IPv4 UDP packet."""
    with open(path, "rb") as f:
        header = f.read(24)
        if len(header) < 24:
            return
        magic = struct.unpack("<I", header[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            endian = "<"
        else:
            endian = ">"
            magic = struct.unpack(">I", header[:4])[0]
        scale = 1e-9 if magic == 0xA1B23C4D else 1e-6
        linktype = struct.unpack(endian + "I", header[20:24])[0] & 0x0FFFFFFF
        if linktype not in _LINK_OFFSETS:
            raise ValueError(f"{path}: unsupported link type {linktype}")
        link_len, proto_off = _LINK_OFFSETS[linktype]
        record = struct.Struct(endian + "IIII")
        while True:
            rh = f.read(16)
            if len(rh) < 16:
                return
            sec, frac, incl, _orig = record.unpack(rh)
            data = f.read(incl)
            if len(data) < incl:
                return
            if proto_off is not None and data[proto_off:proto_off + 2] != b"\x08\x00":
                continue
            ip = link_len
            if len(data) < ip + 28 or data[ip] >> 4 != 4 or data[ip + 9] != 17:
                continue
            udp = ip + (data[ip] & 0x0F) * 4
            src = (data[udp] << 8) | data[udp + 1]
            dst = (data[udp + 2] << 8) | data[udp + 3]
            yield sec + frac * scale, src, dst, data[udp + 8:]


def rtp_fingerprints(path, length=12):
    """Payload fingerprints (first `length` bytes after the RTP header) of the pcap's RTP packets."""
    result = []
    for _t, _s, _d, payload in udp_packets(path):
        if len(payload) >= 12 + length and payload[0] >> 6 == 2:
            cc = payload[0] & 0x0F
            result.append(bytes(payload[12 + 4 * cc:12 + 4 * cc + length]))
    return result
