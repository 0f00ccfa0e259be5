// The router's row helper: mapping::call<&Model::method> decodes the request Document into the
// method's typed input, calls the model and encodes its typed output, or passes the error on.

#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/kms_types.h"
#include "mock_aws/protocol/mapping/mapping.h"

namespace ibsim::mock_aws::protocol::mapping {
namespace {

using nlohmann::json;

// Stands in for a service model: the same method signatures.
class FakeKms {
 public:
  int calls = 0;

  sim::Result<api::kms::EncryptOutput> encrypt(const api::CallContext& ctx,
                                               const api::kms::EncryptInput& in) {
    ++calls;
    if (in.key_id == "alias/missing") {
      return sim::aws_error("NotFoundException", "Alias alias/missing is not found.");
    }
    return api::kms::EncryptOutput{.ciphertext_blob = in.plaintext,
                                   .key_id = "arn:aws:kms:" + ctx.request_id,
                                   .encryption_algorithm = "SYMMETRIC_DEFAULT"};
  }

  sim::Result<api::kms::ListKeysOutput> list_keys(const api::CallContext&,
                                                  const api::kms::ListKeysInput& in) const {
    return api::kms::ListKeysOutput{.next_marker = in.marker};
  }
};

// A router table row: the same function pointer type for every operation of the service.
using Row = sim::Result<Document> (*)(FakeKms&, const api::CallContext&, const Document&);

TEST_CASE("Router row: call decodes the input and encodes the model's output", "[mapping]") {
  const Row encrypt = &call<&FakeKms::encrypt>;
  FakeKms model;
  api::CallContext ctx;
  ctx.request_id = "req-1";
  const auto out = encrypt(model, ctx, {{"KeyId", "alias/app"}, {"Plaintext", "aGk="}});
  REQUIRE(out.ok());
  CHECK(*out
        == json{{"CiphertextBlob", "aGk="},
                {"KeyId", "arn:aws:kms:req-1"},
                {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"}});

  const Row list_keys = &call<&FakeKms::list_keys>;  // A const method fits the same row.
  const auto keys = list_keys(model, ctx, {{"Marker", "m"}});
  REQUIRE(keys.ok());
  CHECK(*keys == json{{"Keys", json::array()}, {"NextMarker", "m"}, {"Truncated", false}});
}

TEST_CASE("Router row: decoding and model errors come back as AwsErrors", "[mapping]") {
  FakeKms model;
  const auto bad = call<&FakeKms::encrypt>(model, {}, {{"KeyId", "k"}, {"Plaintext", 3}});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "SerializationException");
  CHECK(model.calls == 0);  // The model never sees an input that did not decode.
  const auto missing = call<&FakeKms::encrypt>(model, {}, {{"KeyId", "alias/missing"}});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "NotFoundException");
  CHECK(model.calls == 1);
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol::mapping
