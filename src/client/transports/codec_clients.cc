#include "src/client/transports/codec_clients.h"

#include <utility>

#include "mock_aws/crypto/encoding.h"
#include "mock_aws/protocol/codec.h"
#include "mock_aws/protocol/mapping/mapping.h"
#include "mock_aws/protocol/sigv4.h"
#include "src/client/call_error.h"

namespace ibsim::client {
namespace {

namespace api = mock_aws::api;
namespace protocol = mock_aws::protocol;
using protocol::Document;
using protocol::ServiceId;

// IAM's endpoint is global and signs for us-east-1 (aws-facts §5.6).
constexpr std::string_view kIamSigningRegion = "us-east-1";

std::string uuid(sim::Rng& rng) {
  constexpr char kDigits[] = "0123456789abcdef";
  const uint64_t hi = rng.next_u64();
  const uint64_t lo = rng.next_u64();
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) {
      out.push_back('-');
    }
    const uint64_t word = i < 16 ? hi : lo;
    const auto shift = static_cast<unsigned>((15 - (i % 16)) * 4);
    out.push_back(kDigits[(word >> shift) & 0xfU]);
  }
  return out;
}

// An operation the typed interface has but ibsim's wire tables do not carry (no botocore shapes
// generated for it): answered as EC2 answers an action it does not know.
sim::AwsError not_on_the_wire(std::string_view operation) {
  return sim::aws_error("InvalidAction",
                        "The action " + std::string(operation)
                            + " is not valid for this web service (ibsim does not serve it over "
                              "the wire: scripts/shapes/operations.txt).",
                        400);
}

// One identity at one endpoint of one service: what every typed client holds.
class CodecSession {
 public:
  CodecSession(CodecClientFactory& factory,
               Identity identity,
               api::Region region,
               ServiceId service)
      : factory_(factory),
        identity_(std::move(identity)),
        region_(std::move(region)),
        service_(service) {}

  template <typename In, typename Out>
  sim::Result<Out> call(std::string_view operation, const In& input) {
    const std::optional<protocol::OperationRef> op = protocol::find_operation(service_, operation);
    if (!op) {
      return not_on_the_wire(operation);
    }
    using Mapping = protocol::mapping::Operation<In, Out>;
    sim::Result<Document> output = exchange(*op, Mapping::encode_input(input));
    if (!output.ok()) {
      return output.error();
    }
    sim::Result<Out> typed = Mapping::decode_output(*output);
    if (!typed.ok()) {
      return malformed_response(std::string(operation) + ": " + typed.error().message);
    }
    return typed;
  }

  const Identity& identity() const { return identity_; }

  const api::Region& region() const { return region_; }

  CodecClientFactory& factory() { return factory_; }

 private:
  sim::Result<Document> exchange(const protocol::OperationRef& op, Document input) {
    protocol::fill_idempotency_tokens(op, input, [this] { return uuid(factory_.tokens()); });
    sim::Result<protocol::HttpRequest> request = protocol::encode_request(op, input);
    if (!request.ok()) {
      return request.error();  // The codec refused the input itself (too large, say).
    }
    Sender& sender = factory_.sender();
    request->headers.set("Host", sender.host(service_, region_));
    sim::Result<protocol::HttpResponse> response =
        identity_.is_service() ? sender.send_as_service(
            std::move(request).value(), service_, region_, identity_.service_name())
                               : sign_and_send(op, std::move(request).value());
    if (!response.ok()) {
      return response.error();
    }
    sim::Result<protocol::DecodedResponse> decoded = protocol::decode_response(op, *response);
    if (decoded.ok()) {
      return std::move(decoded).value().output;
    }
    if (response->status < 300) {
      return malformed_response(std::string(op.name()) + ": " + decoded.error().message);
    }
    sim::AwsError error = decoded.error();
    if (const std::string* explanation = response->headers.find(kExplanationHeader)) {
      if (auto bytes = mock_aws::crypto::base64_decode(*explanation)) {
        error.explanation.assign(bytes->begin(), bytes->end());
      }
    }
    return error;
  }

  sim::Result<protocol::HttpResponse> sign_and_send(const protocol::OperationRef& op,
                                                    protocol::HttpRequest request) {
    const Credentials& c = identity_.credentials();
    Sender& sender = factory_.sender();
    protocol::sigv4::sign(request,
                          {.access_key_id = c.access_key_id,
                           .secret_access_key = c.secret_access_key,
                           .session_token = c.session_token},
                          region_.str(),
                          op.service().signing_name,
                          sender.now_unix_ms());
    return sender.send(std::move(request));
  }

  CodecClientFactory& factory_;
  Identity identity_;
  api::Region region_;
  ServiceId service_;
};

#define IBSIM_CODEC_CALL(ns, Op) return session_.call<ns::Op##Input, ns::Op##Output>(#Op, in)

class CodecEc2 final : public Ec2Client {
 public:
  CodecEc2(CodecClientFactory& factory, Identity identity, api::Region region)
      : session_(factory, std::move(identity), std::move(region), ServiceId::kEc2) {}

  sim::Result<ec2::DescribeImagesOutput> describe_images(
      const ec2::DescribeImagesInput& in) override {
    IBSIM_CODEC_CALL(ec2, DescribeImages);
  }

  sim::Result<ec2::CopyImageOutput> copy_image(const ec2::CopyImageInput& in) override {
    IBSIM_CODEC_CALL(ec2, CopyImage);
  }

  sim::Result<ec2::ModifyImageAttributeOutput> modify_image_attribute(
      const ec2::ModifyImageAttributeInput& in) override {
    IBSIM_CODEC_CALL(ec2, ModifyImageAttribute);
  }

  // Not in scripts/shapes/operations.txt: no wire tables.
  sim::Result<ec2::CreateImageOutput> create_image(const ec2::CreateImageInput&) override {
    return not_on_the_wire("CreateImage");
  }

  sim::Result<ec2::DescribeSnapshotsOutput> describe_snapshots(
      const ec2::DescribeSnapshotsInput& in) override {
    IBSIM_CODEC_CALL(ec2, DescribeSnapshots);
  }

  sim::Result<ec2::ModifySnapshotAttributeOutput> modify_snapshot_attribute(
      const ec2::ModifySnapshotAttributeInput& in) override {
    IBSIM_CODEC_CALL(ec2, ModifySnapshotAttribute);
  }

  sim::Result<ec2::CreateTagsOutput> create_tags(const ec2::CreateTagsInput& in) override {
    IBSIM_CODEC_CALL(ec2, CreateTags);
  }

  sim::Result<ec2::RunInstancesOutput> run_instances(const ec2::RunInstancesInput& in) override {
    IBSIM_CODEC_CALL(ec2, RunInstances);
  }

  sim::Result<ec2::DescribeInstancesOutput> describe_instances(
      const ec2::DescribeInstancesInput& in) override {
    IBSIM_CODEC_CALL(ec2, DescribeInstances);
  }

  // Not in scripts/shapes/operations.txt: no wire tables.
  sim::Result<ec2::TerminateInstancesOutput> terminate_instances(
      const ec2::TerminateInstancesInput&) override {
    return not_on_the_wire("TerminateInstances");
  }

  sim::Result<ec2::DescribeLaunchTemplatesOutput> describe_launch_templates(
      const ec2::DescribeLaunchTemplatesInput& in) override {
    IBSIM_CODEC_CALL(ec2, DescribeLaunchTemplates);
  }

  sim::Result<ec2::DescribeLaunchTemplateVersionsOutput> describe_launch_template_versions(
      const ec2::DescribeLaunchTemplateVersionsInput& in) override {
    IBSIM_CODEC_CALL(ec2, DescribeLaunchTemplateVersions);
  }

  sim::Result<ec2::CreateLaunchTemplateVersionOutput> create_launch_template_version(
      const ec2::CreateLaunchTemplateVersionInput& in) override {
    IBSIM_CODEC_CALL(ec2, CreateLaunchTemplateVersion);
  }

  sim::Result<ec2::ModifyLaunchTemplateOutput> modify_launch_template(
      const ec2::ModifyLaunchTemplateInput& in) override {
    IBSIM_CODEC_CALL(ec2, ModifyLaunchTemplate);
  }

  sim::Result<ec2::GetEbsDefaultKmsKeyIdOutput> get_ebs_default_kms_key_id(
      const ec2::GetEbsDefaultKmsKeyIdInput& in) override {
    IBSIM_CODEC_CALL(ec2, GetEbsDefaultKmsKeyId);
  }

  sim::Result<ec2::GetEbsEncryptionByDefaultOutput> get_ebs_encryption_by_default(
      const ec2::GetEbsEncryptionByDefaultInput& in) override {
    IBSIM_CODEC_CALL(ec2, GetEbsEncryptionByDefault);
  }

  std::optional<sim::AwsError> image_failure_cause(std::string_view image_id) override {
    const ImageFailureCause& cause = session_.factory().image_failure_cause();
    if (!cause) {
      return std::nullopt;
    }
    return cause(session_.identity(), session_.region(), image_id);
  }

 private:
  CodecSession session_;
};

class CodecSts final : public StsClient {
 public:
  CodecSts(CodecClientFactory& factory, Identity identity, api::Region region)
      : session_(factory, std::move(identity), std::move(region), ServiceId::kSts) {}

  sim::Result<sts::AssumeRoleOutput> assume_role(const sts::AssumeRoleInput& in) override {
    IBSIM_CODEC_CALL(sts, AssumeRole);
  }

  sim::Result<sts::GetCallerIdentityOutput> get_caller_identity(
      const sts::GetCallerIdentityInput& in) override {
    IBSIM_CODEC_CALL(sts, GetCallerIdentity);
  }

 private:
  CodecSession session_;
};

class CodecIam final : public IamClient {
 public:
  CodecIam(CodecClientFactory& factory, Identity identity)
      : session_(factory,
                 std::move(identity),
                 api::Region::from_known(kIamSigningRegion),
                 ServiceId::kIam) {}

  sim::Result<iam::GetInstanceProfileOutput> get_instance_profile(
      const iam::GetInstanceProfileInput& in) override {
    IBSIM_CODEC_CALL(iam, GetInstanceProfile);
  }

  sim::Result<iam::GetRoleOutput> get_role(const iam::GetRoleInput& in) override {
    IBSIM_CODEC_CALL(iam, GetRole);
  }

 private:
  CodecSession session_;
};

class CodecSsm final : public SsmClient {
 public:
  CodecSsm(CodecClientFactory& factory, Identity identity, api::Region region)
      : session_(factory, std::move(identity), std::move(region), ServiceId::kSsm) {}

  sim::Result<ssm::PutParameterOutput> put_parameter(const ssm::PutParameterInput& in) override {
    IBSIM_CODEC_CALL(ssm, PutParameter);
  }

 private:
  CodecSession session_;
};

#undef IBSIM_CODEC_CALL

}  // namespace

CodecClientFactory::CodecClientFactory(std::unique_ptr<Sender> sender, CodecClientOptions options)
    : sender_(std::move(sender)), options_(std::move(options)) {}

CodecClientFactory::~CodecClientFactory() = default;

std::unique_ptr<Ec2Client> CodecClientFactory::ec2(const Identity& identity,
                                                   const api::Region& region) {
  return std::make_unique<CodecEc2>(*this, identity, region);
}

std::unique_ptr<StsClient> CodecClientFactory::sts(const Identity& identity,
                                                   const api::Region& region) {
  return std::make_unique<CodecSts>(*this, identity, region);
}

std::unique_ptr<IamClient> CodecClientFactory::iam(const Identity& identity) {
  return std::make_unique<CodecIam>(*this, identity);
}

std::unique_ptr<SsmClient> CodecClientFactory::ssm(const Identity& identity,
                                                   const api::Region& region) {
  return std::make_unique<CodecSsm>(*this, identity, region);
}

}  // namespace ibsim::client
