#include "mock_aws/crypto/openssl_util.h"

#include <cstdio>
#include <cstdlib>

#include <openssl/err.h>

namespace ibsim::mock_aws::crypto::internal {

const EVP_MD* sha256_md() {
  // Fetched once and kept for the process lifetime (reachable, so not a leak).
  static const EVP_MD* const kMd = [] {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr) {
      openssl_fail("EVP_MD_fetch(SHA256)");
    }
    return md;
  }();
  return kMd;
}

const EVP_CIPHER* aes256_gcm_cipher() {
  static const EVP_CIPHER* const kCipher = [] {
    EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (cipher == nullptr) {
      openssl_fail("EVP_CIPHER_fetch(AES-256-GCM)");
    }
    return cipher;
  }();
  return kCipher;
}

void openssl_fail(const char* operation) {
  std::fprintf(stderr, "ibsim: OpenSSL failure in %s\n", operation);
  ERR_print_errors_fp(stderr);
  std::abort();
}

}  // namespace ibsim::mock_aws::crypto::internal
