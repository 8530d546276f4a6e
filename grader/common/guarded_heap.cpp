// A guard after every heap block of the grader's test processes.
//
// A loop that runs one element too far (`i <= n`) writes just past the end of an array. Without
// help that goes unnoticed, or crashes a later, unrelated check. Here every block allocated with
// operator new gets 64 guard bytes after it, and freeing the block checks them: if any changed,
// the check stops at once with a message saying so. AddressSanitizer builds keep their own, more
// thorough, instrumentation instead. (Part of the nnkit_grading object library, so every test
// executable links it.)
//
// The guard bytes are signalling NaNs, so that a loop that *reads* one element too far gets a NaN,
// which the value checks then report, whether it reads floats or doubles: the 8-byte pattern is the
// float sNaN 0x7FA5A5A5 followed by 0x7FF5A5A5, and the two together are the double sNaN
// 0x7FF5A5A57FA5A5A5. Arithmetic on a signalling NaN returns a quiet one (other bits), so a value
// computed from a byte read past one array and written past another still changes a guard.
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include <unistd.h>

#if !defined(__SANITIZE_ADDRESS__)

namespace {

constexpr std::size_t kGuard = 64;
constexpr unsigned char kPattern[8] = {0xA5, 0xA5, 0xA5, 0x7F, 0xA5, 0xA5, 0xF5, 0x7F};  // little-endian

// Sits just before the block handed out: the block's size, and how far back the malloc'ed
// start is (more than the header when the block is over-aligned).
struct Header {
    std::size_t size;
    std::size_t offset;
};

void* allocate(std::size_t size, std::size_t align) noexcept {
    if (align < alignof(std::max_align_t)) align = alignof(std::max_align_t);
    const std::size_t offset = (sizeof(Header) + align - 1) / align * align;
    if (size > std::size_t(-1) - offset - kGuard - align) return nullptr;
    void* raw = nullptr;
    if (posix_memalign(&raw, align, offset + size + kGuard) != 0) return nullptr;
    unsigned char* user = static_cast<unsigned char*>(raw) + offset;
    reinterpret_cast<Header*>(user)[-1] = Header{size, offset};
    for (std::size_t i = 0; i < kGuard; ++i) user[size + i] = kPattern[i % 8];
    return user;
}

[[noreturn]] void overflow(std::size_t size, std::size_t at) {
    char msg[256];
    const int n = std::snprintf(msg, sizeof msg,
                                "heap buffer overflow: something wrote past the end of a block of %zu bytes (the "
                                "first changed byte is %zu after its end): a loop that runs one element too far, "
                                "such as i <= n?\n",
                                size, at);
    if (n > 0) (void)!write(2, msg, std::size_t(n));
    std::abort();
}

void release(void* p) noexcept {
    if (p == nullptr) return;
    unsigned char* user = static_cast<unsigned char*>(p);
    const Header h = reinterpret_cast<Header*>(user)[-1];
    for (std::size_t i = 0; i < kGuard; ++i)
        if (user[h.size + i] != kPattern[i % 8]) overflow(h.size, i);
    std::free(user - h.offset);
}

void* allocate_or_throw(std::size_t size, std::size_t align) {
    for (;;) {
        if (void* p = allocate(size, align)) return p;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}

}  // namespace

void* operator new(std::size_t n) { return allocate_or_throw(n, 0); }
void* operator new[](std::size_t n) { return allocate_or_throw(n, 0); }
void* operator new(std::size_t n, std::align_val_t a) { return allocate_or_throw(n, std::size_t(a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return allocate_or_throw(n, std::size_t(a)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n, 0); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return allocate(n, std::size_t(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    return allocate(n, std::size_t(a));
}

void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { release(p); }
#endif
