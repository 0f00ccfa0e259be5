// Codec benchmarks: per operation, the server's work on one call (decode + validate the request,
// encode the response) and the client's (encode the request, decode the response), for a KMS
// Encrypt (JSON 1.1), an EC2 DescribeImages answering 10 images (EC2 query + XML) and an IAM
// GetRole (query + XML). The requests are the ones the AWS CLI / JS SDK sent (golden files).

#include <string>

#include <benchmark/benchmark.h>

#include "mock_aws/protocol/codec.h"

namespace ibsim::mock_aws::protocol {
namespace {

using nlohmann::json;

OperationRef op(ServiceId service, std::string_view name) {
  return *find_operation(service, name);
}

HttpRequest kms_encrypt_request() {
  HttpRequest r{"POST",
                "/",
                {},
                "{\"KeyId\":\"arn:aws:kms:us-west-2:123456789012:key/"
                "1234abcd-12ab-34cd-56ef-1234567890ab\",\"Plaintext\":"
                "\"aGVsbG8gZnJvbSB0aGUgaW1hZ2UgYnVpbGRlciBvcmFjbGU=\",\"EncryptionContext\":{"
                "\"purpose\":\"ami-distribution\"}}"};
  r.headers.add("x-amz-target", "TrentService.Encrypt");
  r.headers.add("content-type", "application/x-amz-json-1.1");
  return r;
}

json kms_encrypt_output() {
  return {{"CiphertextBlob", std::string(196, 'A') + "AA=="},
          {"KeyId", "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
          {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"}};
}

HttpRequest ec2_describe_images_request() {
  HttpRequest r{"POST",
                "/",
                {},
                "Action=DescribeImages&Version=2016-11-15&ImageId.1=ami-03cf127a&Owner.1=amazon&"
                "Owner.2=self&Filter.1.Name=state&Filter.1.Value.1=available&Filter.2.Name=root-"
                "device-type&Filter.2.Value.1=ebs"};
  r.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  return r;
}

json ec2_images_output() {
  json images = json::array();
  for (int i = 0; i < 10; ++i) {
    images.push_back({{"ImageId", "ami-0abc" + std::to_string(i)},
                      {"ImageLocation", "123456789012/base"},
                      {"State", "available"},
                      {"OwnerId", "123456789012"},
                      {"CreationDate", "2026-11-28T12:13:06.000Z"},
                      {"Public", false},
                      {"Architecture", "x86_64"},
                      {"ImageType", "machine"},
                      {"Name", "base-" + std::to_string(i)},
                      {"RootDeviceType", "ebs"},
                      {"RootDeviceName", "/dev/xvda"},
                      {"VirtualizationType", "hvm"},
                      {"Hypervisor", "xen"},
                      {"EnaSupport", true},
                      {"BlockDeviceMappings",
                       {{{"DeviceName", "/dev/xvda"},
                         {"Ebs",
                          {{"SnapshotId", "snap-0123456789abcdef0"},
                           {"VolumeSize", 8},
                           {"VolumeType", "gp3"},
                           {"Encrypted", true},
                           {"KmsKeyId", "arn:aws:kms:us-west-2:123456789012:key/k"},
                           {"DeleteOnTermination", true}}}}}},
                      {"Tags", {{{"Key", "CreatedBy"}, {"Value", "EC2 Image Builder"}}}}});
  }
  return {{"Images", images}};
}

HttpRequest iam_get_role_request() {
  HttpRequest r{"POST",
                "/",
                {},
                "Action=GetRole&Version=2010-05-08&RoleName="
                "EC2ImageBuilderDistributionCrossAccountRole"};
  r.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  return r;
}

json iam_role_output() {
  return {{"Role",
           {{"Path", "/"},
            {"RoleName", "EC2ImageBuilderDistributionCrossAccountRole"},
            {"RoleId", "AROA1234567890EXAMPLE"},
            {"Arn", "arn:aws:iam::123456789012:role/EC2ImageBuilderDistributionCrossAccountRole"},
            {"CreateDate", 1764331986},
            {"AssumeRolePolicyDocument",
             "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22"
             "Allow%22%2C%22Principal%22%3A%7B%22AWS%22%3A%22arn%3Aaws%3Aiam%3A%3A111122223333%3A"
             "root%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D"},
            {"MaxSessionDuration", 3600},
            {"Tags", {{{"Key", "team"}, {"Value", "images"}}}}}}};
}

// Server side: decode + validate the request, encode the response.
void server_call(benchmark::State& state,
                 ServiceId service,
                 const HttpRequest& request,
                 const json& output) {
  for (auto _ : state) {
    auto decoded = decode_request(service, request);
    if (!decoded.ok()) {
      state.SkipWithError(decoded.error().message.c_str());
      break;
    }
    auto response = encode_response(decoded->operation, output, "req-1");
    if (!response.ok()) {
      state.SkipWithError(response.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(response->body.data());
  }
}

// Client side: encode the request, decode the response.
void client_call(benchmark::State& state,
                 const OperationRef& operation,
                 const json& input,
                 const json& output) {
  const HttpResponse response = *encode_response(operation, output, "req-1");
  for (auto _ : state) {
    auto request = encode_request(operation, input);
    auto decoded = decode_response(operation, response);
    if (!request.ok() || !decoded.ok()) {
      state.SkipWithError("the client side failed");
      break;
    }
    benchmark::DoNotOptimize(request->body.data());
    benchmark::DoNotOptimize(decoded->output.size());
  }
}

void BM_Codec_KmsEncrypt_Server(benchmark::State& state) {
  server_call(state, ServiceId::kKms, kms_encrypt_request(), kms_encrypt_output());
}

void BM_Codec_KmsEncrypt_DecodeValidate(benchmark::State& state) {
  const HttpRequest request = kms_encrypt_request();
  for (auto _ : state) {
    benchmark::DoNotOptimize(decode_request(ServiceId::kKms, request).ok());
  }
}

void BM_Codec_KmsEncrypt_Client(benchmark::State& state) {
  const OperationRef encrypt = op(ServiceId::kKms, "Encrypt");
  client_call(state,
              encrypt,
              decode_request(ServiceId::kKms, kms_encrypt_request())->input,
              kms_encrypt_output());
}

void BM_Codec_Ec2DescribeImages_Server(benchmark::State& state) {
  server_call(state, ServiceId::kEc2, ec2_describe_images_request(), ec2_images_output());
}

void BM_Codec_Ec2DescribeImages_DecodeValidate(benchmark::State& state) {
  const HttpRequest request = ec2_describe_images_request();
  for (auto _ : state) {
    benchmark::DoNotOptimize(decode_request(ServiceId::kEc2, request).ok());
  }
}

void BM_Codec_Ec2DescribeImages_EncodeResponse(benchmark::State& state) {
  const OperationRef describe = op(ServiceId::kEc2, "DescribeImages");
  const json output = ec2_images_output();
  for (auto _ : state) {
    benchmark::DoNotOptimize(encode_response(describe, output, "req-1")->body.size());
  }
}

void BM_Codec_Ec2DescribeImages_Client(benchmark::State& state) {
  const OperationRef describe = op(ServiceId::kEc2, "DescribeImages");
  client_call(state,
              describe,
              decode_request(ServiceId::kEc2, ec2_describe_images_request())->input,
              ec2_images_output());
}

void BM_Codec_IamGetRole_Server(benchmark::State& state) {
  server_call(state, ServiceId::kIam, iam_get_role_request(), iam_role_output());
}

void BM_Codec_IamGetRole_Client(benchmark::State& state) {
  const OperationRef get_role = op(ServiceId::kIam, "GetRole");
  client_call(state,
              get_role,
              {{"RoleName", "EC2ImageBuilderDistributionCrossAccountRole"}},
              iam_role_output());
}

BENCHMARK(BM_Codec_KmsEncrypt_Server);
BENCHMARK(BM_Codec_KmsEncrypt_DecodeValidate);
BENCHMARK(BM_Codec_KmsEncrypt_Client);
BENCHMARK(BM_Codec_Ec2DescribeImages_Server);
BENCHMARK(BM_Codec_Ec2DescribeImages_DecodeValidate);
BENCHMARK(BM_Codec_Ec2DescribeImages_EncodeResponse);
BENCHMARK(BM_Codec_Ec2DescribeImages_Client);
BENCHMARK(BM_Codec_IamGetRole_Server);
BENCHMARK(BM_Codec_IamGetRole_Client);

}  // namespace
}  // namespace ibsim::mock_aws::protocol

BENCHMARK_MAIN();
