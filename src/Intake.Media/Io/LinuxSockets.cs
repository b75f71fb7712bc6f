using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace Intake.Media.Io;

/// <summary>
/// The few libc calls the media reactor needs: epoll to wait on many sockets from one thread, eventfd to wake it, and
/// recvmmsg/sendmmsg/sendmsg (and sendto off the reactor) on the raw descriptors, so packets cost batched system calls
/// and no managed completion.
/// </summary>
[SupportedOSPlatform("linux")]
internal static unsafe partial class LinuxSockets
{
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const uint EpollIn = 0x001;
    public const int EpollCloexec = 0x80000;
    public const int EfdCloexec = 0x80000;
    public const int EfdNonblock = 0x800;
    public const int MsgDontwait = 0x40;
    public const int Eintr = 4;

    /// <summary>
    /// Size of <c>struct epoll_event</c>: the kernel packs it on x86-64 (4-byte events, 8-byte data at offset 4);
    /// elsewhere the data is 8-aligned.
    /// </summary>
    public static readonly int EpollEventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, byte* evt);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, byte* events, int maxEvents, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int RecvMmsg(int fd, byte* messages, uint count, int flags, void* timeout);

    // struct mmsghdr on LP64 Linux: msghdr { name @0, namelen @8, iov @16, iovlen @24, control @32, controllen @40,
    // flags @48 } then msg_len @56; 64 bytes. struct iovec { base @0, len @8 }; 16 bytes.
    public const int MmsgSize = 64;
    public const int MmsgNameLengthOffset = 8;
    public const int MmsgLengthOffset = 56;
    public const int IovecSize = 16;

    /// <summary>Points message <paramref name="index"/> of an mmsghdr array at its buffer and address slot.</summary>
    public static void PrepareMessage(byte* messages, byte* iovecs, int index, byte* buffer, int bufferLength, byte* address, uint addressLength)
    {
        var iov = iovecs + (index * IovecSize);
        *(byte**)iov = buffer;
        *(nuint*)(iov + 8) = (nuint)bufferLength;
        var message = messages + (index * MmsgSize);
        new Span<byte>(message, MmsgSize).Clear();
        *(byte**)message = address;
        *(uint*)(message + MmsgNameLengthOffset) = addressLength;
        *(byte**)(message + 16) = iov;
        *(nuint*)(message + 24) = 1;
    }

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMmsg(int fd, byte* messages, uint count, int flags);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint SendMsg(int fd, byte* message, int flags);

    // struct msghdr: name @0, namelen @8, iov @16, iovlen @24, control @32, controllen @40, flags @48; 56 bytes.
    // struct cmsghdr: len (size_t) @0, level @8, type @12, data @16.
    public const int MsghdrSize = 56;
    public const int CmsgHeaderSize = 16;
    public const int SolUdp = 17;
    public const int UdpSegment = 103;
    public const int Eio = 5;
    public const int Einval = 22;
    public const int Enoprotoopt = 92;
    public const int Eopnotsupp = 95;

    [LibraryImport("libc", EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);

    public const int MsgNosignal = 0x4000;

    /// <summary>Fills one epoll_event for <paramref name="data"/> (the registration's slot) and adds or removes it.</summary>
    public static int Control(int epfd, int op, int fd, uint events, ulong data)
    {
        var evt = stackalloc byte[16];
        *(uint*)evt = events;
        *(ulong*)(evt + EpollDataOffset) = data;
        return EpollCtl(epfd, op, fd, evt);
    }
}
