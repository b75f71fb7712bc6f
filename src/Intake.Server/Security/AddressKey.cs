using System.Buffers.Binary;
using System.Net;

namespace Intake.Server.Security;

/// <summary>
/// An address as a 128-bit number in the IPv6 space, IPv4 written as IPv4-mapped (::ffff:a.b.c.d), so that a
/// dual-stack socket's mapped source and a plain IPv4 source are the same key and matching never allocates.
/// </summary>
internal static class AddressKey
{
    /// <summary>Prefix length of ::ffff:0:0/96, the block IPv4 lives in.</summary>
    public const int MappedPrefixLength = 96;

    private static readonly UInt128 MappedPrefix = (UInt128)0xFFFF << 32;

    public static UInt128 From(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? MappedPrefix | BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static bool IsIPv4(UInt128 key) => key >> 32 == 0xFFFF;

    /// <summary>The network mask of a prefix length in the 128-bit space (0 gives an empty mask).</summary>
    public static UInt128 Mask(int prefixLength) =>
        prefixLength <= 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefixLength);
}
