#pragma once
// CodecClientFactory: the typed clients (src/client/clients.h) over AWS's wire protocols, shared
// by the wire transport (in-process, to the router) and the HTTP transport (to any endpoint).
// Each call goes typed input -> mapping::Operation::encode_input -> idempotency tokens from a
// seeded generator -> protocol::encode_request -> Host + SigV4 signature -> the transport ->
// protocol::decode_response -> mapping::Operation::decode_output. Errors come back as the
// service's AwsError with ibsim's explanation restored from the x-ibsim-explanation header;
// transport failures as call_error.h's reserved outcomes. Sim thread only.
//
//   auto factory = std::make_unique<CodecClientFactory>(std::move(sender), options);
//   auto ec2 = factory->ec2(identity, region);  // same interface as the direct transport

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mock_aws/api/ids.h"
#include "mock_aws/protocol/http_message.h"
#include "mock_aws/protocol/shape_model.h"
#include "sim/base/result.h"
#include "sim/rng.h"
#include "src/client/clients.h"
#include "src/client/identity.h"

namespace ibsim::client {

// The response header carrying ibsim's explanation of an error (base64 of the JSON). The router
// writes it under the same name (mock_aws/server/router.h, kExplanationHeader).
inline constexpr std::string_view kExplanationHeader = "x-ibsim-explanation";

// Where a codec client's encoded request goes. A transport sets the Host header, supplies the
// signing clock, and delivers requests.
class Sender {
 public:
  virtual ~Sender() = default;

  // The Host header for a service's regional endpoint (signed, so set before signing).
  virtual std::string host(mock_aws::protocol::ServiceId service,
                           const mock_aws::api::Region& region) = 0;
  // Signing time, Unix ms: the clock the receiving server checks the skew window against.
  virtual int64_t now_unix_ms() = 0;
  // Delivers a signed request. Errors are transport failures (call_error.h) only: any HTTP
  // answer, whatever its status, is a response.
  virtual sim::Result<mock_aws::protocol::HttpResponse> send(
      mock_aws::protocol::HttpRequest&& request) = 0;
  // Delivers an unsigned request made by an AWS service principal, which has no keys. Transports
  // that cannot (HTTP: nobody can sign as a service) answer with an error.
  virtual sim::Result<mock_aws::protocol::HttpResponse> send_as_service(
      mock_aws::protocol::HttpRequest&& request,
      mock_aws::protocol::ServiceId service,
      const mock_aws::api::Region& region,
      std::string_view service_principal) = 0;
};

// ibsim's extension (Ec2Client::image_failure_cause) has no wire operation; a composition root
// that can answer it in-process plugs it in here.
using ImageFailureCause = std::function<std::optional<sim::AwsError>(
    const Identity& identity, const mock_aws::api::Region& region, std::string_view image_id)>;

struct CodecClientOptions {
  // Idempotency tokens the SDKs would invent (clientToken, ClientToken) come from this stream.
  sim::Rng tokens{1};
  ImageFailureCause image_failure_cause;  // Null: image_failure_cause() answers nullopt.
};

class CodecClientFactory final : public ClientFactory {
 public:
  CodecClientFactory(std::unique_ptr<Sender> sender, CodecClientOptions options);
  ~CodecClientFactory() override;

  CodecClientFactory(const CodecClientFactory&) = delete;
  CodecClientFactory& operator=(const CodecClientFactory&) = delete;

  std::unique_ptr<Ec2Client> ec2(const Identity& identity,
                                 const mock_aws::api::Region& region) override;
  std::unique_ptr<StsClient> sts(const Identity& identity,
                                 const mock_aws::api::Region& region) override;
  std::unique_ptr<IamClient> iam(const Identity& identity) override;
  std::unique_ptr<SsmClient> ssm(const Identity& identity,
                                 const mock_aws::api::Region& region) override;

  Sender& sender() { return *sender_; }

  sim::Rng& tokens() { return options_.tokens; }

  const ImageFailureCause& image_failure_cause() const { return options_.image_failure_cause; }

 private:
  std::unique_ptr<Sender> sender_;
  CodecClientOptions options_;
};

}  // namespace ibsim::client
