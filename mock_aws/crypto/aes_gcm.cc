#include "mock_aws/crypto/aes_gcm.h"

#include <algorithm>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "mock_aws/crypto/openssl_util.h"

namespace ibsim::mock_aws::crypto {
namespace {

using internal::check;

// EVP takes int lengths; longer inputs go through in slices.
constexpr std::size_t kMaxSlice = std::size_t{1} << 30;

// Cipher contexts per thread and direction, each bound to AES-256-GCM and keyed once: a call with
// a key seen recently only sets the IV, skipping the AES key expansion and GHASH table set-up that
// re-keying costs (measured: about a fifth of a KMS Encrypt + Decrypt pair). At most kKeyedContexts
// keys per thread and direction; a new key evicts the least recently used. The output depends only
// on the arguments, never on what the cache holds: a miss re-keys exactly as a fresh context would.
class KeyedCiphers {
 public:
  static constexpr std::size_t kKeyedContexts = 16;

  explicit KeyedCiphers(bool encrypt) : encrypt_(encrypt) {
    for (Entry& e : entries_) {
      e.ctx = EVP_CIPHER_CTX_new();
      if (e.ctx == nullptr) {
        internal::openssl_fail("EVP_CIPHER_CTX_new");
      }
      check(EVP_CipherInit_ex2(
                e.ctx, internal::aes256_gcm_cipher(), nullptr, nullptr, encrypt ? 1 : 0, nullptr),
            "EVP_CipherInit_ex2(bind)");
    }
  }

  ~KeyedCiphers() {
    for (Entry& e : entries_) {
      EVP_CIPHER_CTX_free(e.ctx);
      OPENSSL_cleanse(e.key.data(), e.key.size());
    }
  }

  KeyedCiphers(const KeyedCiphers&) = delete;
  KeyedCiphers& operator=(const KeyedCiphers&) = delete;

  // A context keyed with `key` and initialised with `iv`, ready for AAD.
  EVP_CIPHER_CTX* start(std::span<const uint8_t, kAesKeyBytes> key,
                        std::span<const uint8_t, kGcmIvBytes> iv) {
    const int enc = encrypt_ ? 1 : 0;
    ++clock_;
    Entry* victim = &entries_[0];
    for (Entry& e : entries_) {
      if (e.last_use != 0 && std::equal(key.begin(), key.end(), e.key.begin())) {
        e.last_use = clock_;
        check(EVP_CipherInit_ex2(e.ctx, nullptr, nullptr, iv.data(), enc, nullptr), "iv init");
        return e.ctx;
      }
      if (e.last_use < victim->last_use) {
        victim = &e;
      }
    }
    check(EVP_CipherInit_ex2(victim->ctx, nullptr, key.data(), iv.data(), enc, nullptr),
          "key init");
    std::copy(key.begin(), key.end(), victim->key.begin());
    victim->last_use = clock_;
    return victim->ctx;
  }

 private:
  struct Entry {
    EVP_CIPHER_CTX* ctx = nullptr;
    AesKey key{};
    std::uint64_t last_use = 0;  // 0: never keyed.
  };

  bool encrypt_;
  std::uint64_t clock_ = 0;
  std::array<Entry, kKeyedContexts> entries_{};
};

// Feeds `in` through the cipher; out == nullptr passes AAD. Returns bytes written.
std::size_t feed(EVP_CIPHER_CTX* ctx, const uint8_t* in, std::size_t size, uint8_t* out) {
  std::size_t written = 0;
  for (std::size_t done = 0; done < size;) {
    const std::size_t slice = std::min(size - done, kMaxSlice);
    int len = 0;
    check(EVP_CipherUpdate(ctx,
                           out == nullptr ? nullptr : out + written,
                           &len,
                           in + done,
                           static_cast<int>(slice)),
          "EVP_CipherUpdate");
    done += slice;
    written += static_cast<std::size_t>(len);
  }
  return written;
}

}  // namespace

std::vector<uint8_t> aes256_gcm_seal(std::span<const uint8_t, kAesKeyBytes> key,
                                     std::span<const uint8_t, kGcmIvBytes> iv,
                                     std::span<const uint8_t> aad,
                                     std::span<const uint8_t> plaintext) {
  thread_local KeyedCiphers ciphers(/*encrypt=*/true);
  EVP_CIPHER_CTX* ctx = ciphers.start(key, iv);
  std::vector<uint8_t> out(plaintext.size() + kGcmTagBytes);
  feed(ctx, aad.data(), aad.size(), nullptr);
  std::size_t written = feed(ctx, plaintext.data(), plaintext.size(), out.data());
  int len = 0;
  check(EVP_CipherFinal_ex(ctx, out.data() + written, &len), "seal final");
  written += static_cast<std::size_t>(len);
  if (written != plaintext.size()) [[unlikely]] {
    internal::openssl_fail("GCM ciphertext length");
  }
  check(EVP_CIPHER_CTX_ctrl(
            ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagBytes), out.data() + written),
        "seal tag");
  return out;
}

std::optional<std::vector<uint8_t>> aes256_gcm_open(std::span<const uint8_t, kAesKeyBytes> key,
                                                    std::span<const uint8_t, kGcmIvBytes> iv,
                                                    std::span<const uint8_t> aad,
                                                    std::span<const uint8_t> sealed) {
  if (sealed.size() < kGcmTagBytes) {
    return std::nullopt;
  }
  thread_local KeyedCiphers ciphers(/*encrypt=*/false);
  EVP_CIPHER_CTX* ctx = ciphers.start(key, iv);
  const std::size_t body = sealed.size() - kGcmTagBytes;
  std::vector<uint8_t> out(body);
  feed(ctx, aad.data(), aad.size(), nullptr);
  std::size_t written = feed(ctx, sealed.data(), body, out.data());
  // The tag buffer is only read by OpenSSL; the API takes a non-const pointer.
  check(EVP_CIPHER_CTX_ctrl(ctx,
                            EVP_CTRL_GCM_SET_TAG,
                            static_cast<int>(kGcmTagBytes),
                            const_cast<uint8_t*>(sealed.data() + body)),
        "open tag");
  // GCM's final step writes no bytes; the scratch keeps the pointer valid for an empty body.
  std::array<uint8_t, kGcmTagBytes> scratch{};
  int len = 0;
  if (EVP_CipherFinal_ex(ctx, scratch.data(), &len) != 1) {
    // Authentication failed: nothing decrypted may escape.
    OPENSSL_cleanse(out.data(), out.size());
    return std::nullopt;
  }
  if (len != 0 || written != body) [[unlikely]] {
    internal::openssl_fail("GCM plaintext length");
  }
  return out;
}

}  // namespace ibsim::mock_aws::crypto
