// SigV4 and crypto primitives. The headline is BM_SigV4_VerifyKmsEncrypt: parse + verify of the
// AWS CLI's KMS Encrypt request (the golden fixture), with and without the signing-key cache.
// Items/s is verifications (or primitive calls) per second on one core.

#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "mock_aws/crypto/aes_gcm.h"
#include "mock_aws/crypto/sha256.h"
#include "mock_aws/protocol/sigv4.h"

namespace ibsim::mock_aws::protocol::sigv4 {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

// tests/mock_aws/protocol/golden/awscli/09-kms-encrypt.http, header by header.
HttpRequest kms_encrypt() {
  HttpRequest r;
  r.method = "POST";
  r.target.assign(1, '/');  // (= "/" trips a g++ 12 -Wrestrict false positive at -O3)
  r.headers.add("Host", "127.0.0.1:38839");
  r.headers.add("Accept-Encoding", "identity");
  r.headers.add("X-Amz-Target", "TrentService.Encrypt");
  r.headers.add("Content-Type", "application/x-amz-json-1.1");
  r.headers.add("User-Agent",
                "aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v782 "
                "md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/g,D,N,Z,b "
                "cfg/retry-mode#legacy botocore/1.43.11");
  r.headers.add("X-Amz-Date", "20261128T121315Z");
  r.headers.add("Authorization",
                "AWS4-HMAC-SHA256 "
                "Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-west-2/kms/aws4_request, "
                "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                "Signature=09e618318f6d4bc346297fc4aa93ad2522f1dfeb94168633c2be26b53baa785e");
  r.headers.add("amz-sdk-invocation-id", "d7bbcaf4-9483-4203-b64e-5ff81be2b77d");
  r.headers.add("amz-sdk-request", "attempt=1");
  r.headers.add("Content-Length", "207");
  r.body =
      R"({"KeyId": "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", )"
      R"("Plaintext": "aGVsbG8gZnJvbSB0aGUgaW1hZ2UgYnVpbGRlciBvcmFjbGU=", )"
      R"("EncryptionContext": {"purpose": "ami-distribution"}})";
  return r;
}

constexpr int64_t kSignedAtMs = 1'795'867'995'000;  // 20261128T121315Z

void BM_SigV4_VerifyKmsEncrypt(benchmark::State& state) {
  const HttpRequest req = kms_encrypt();
  for (auto _ : state) {
    auto info = parse_signature(req, Family::kJson);
    const sim::Status s = verify(req, *info, kSecret, kSignedAtMs, Family::kJson);
    benchmark::DoNotOptimize(s.ok());
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_SigV4_VerifyKmsEncrypt);

void BM_SigV4_VerifyKmsEncryptCachedKey(benchmark::State& state) {
  const HttpRequest req = kms_encrypt();
  SigningKeyCache cache;
  for (auto _ : state) {
    auto info = parse_signature(req, Family::kJson);
    const sim::Status s = verify(req, *info, kSecret, kSignedAtMs, Family::kJson, &cache);
    benchmark::DoNotOptimize(s.ok());
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_SigV4_VerifyKmsEncryptCachedKey);

void BM_SigV4_ParseKmsEncrypt(benchmark::State& state) {
  const HttpRequest req = kms_encrypt();
  for (auto _ : state) {
    auto info = parse_signature(req, Family::kJson);
    benchmark::DoNotOptimize(info.ok());
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_SigV4_ParseKmsEncrypt);

void BM_SigV4_SignKmsEncrypt(benchmark::State& state) {
  const HttpRequest base = kms_encrypt();
  const Credentials creds{"AKIAIOSFODNN7EXAMPLE", std::string(kSecret), ""};
  for (auto _ : state) {
    HttpRequest req = base;
    sign(req, creds, "us-west-2", "kms", kSignedAtMs);
    benchmark::DoNotOptimize(req.headers.fields().size());
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_SigV4_SignKmsEncrypt);

void BM_SigV4_DeriveSigningKey(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(derive_signing_key(kSecret, "20261128", "us-west-2", "kms"));
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_SigV4_DeriveSigningKey);

void BM_Crypto_Sha256(benchmark::State& state) {
  const std::string data(static_cast<std::size_t>(state.range(0)), 'a');
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::sha256(data));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_Crypto_Sha256)->Arg(64)->Arg(1024);

void BM_Crypto_HmacSha256(benchmark::State& state) {
  const std::string data(static_cast<std::size_t>(state.range(0)), 'a');
  const crypto::Sha256Digest key{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::hmac_sha256(key, data));
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Crypto_HmacSha256)->Arg(64)->Arg(256);

void BM_Crypto_AesGcmSeal(benchmark::State& state) {
  const crypto::AesKey key{1, 2, 3};
  const crypto::GcmIv iv{4, 5, 6};
  const std::vector<uint8_t> aad(32, 7);
  const std::vector<uint8_t> plain(static_cast<std::size_t>(state.range(0)), 8);
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::aes256_gcm_seal(key, iv, aad, plain));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_Crypto_AesGcmSeal)->Arg(32)->Arg(4096);

void BM_Crypto_AesGcmOpen(benchmark::State& state) {
  const crypto::AesKey key{1, 2, 3};
  const crypto::GcmIv iv{4, 5, 6};
  const std::vector<uint8_t> aad(32, 7);
  const std::vector<uint8_t> sealed = crypto::aes256_gcm_seal(
      key, iv, aad, std::vector<uint8_t>(static_cast<std::size_t>(state.range(0)), 8));
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::aes256_gcm_open(key, iv, aad, sealed));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * state.range(0));
}

BENCHMARK(BM_Crypto_AesGcmOpen)->Arg(32)->Arg(4096);

}  // namespace
}  // namespace ibsim::mock_aws::protocol::sigv4

BENCHMARK_MAIN();
