#pragma once
// Helpers shared by the codec tests: loading the golden .http requests captured from the AWS CLI
// and the JS SDK (tests/mock_aws/protocol/golden/), and looking operations up by name.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mock_aws/protocol/codec.h"

namespace ibsim::mock_aws::protocol::testing {

struct GoldenRequest {
  std::string name;  // "awscli/09-kms-encrypt.http"
  HttpRequest request;
};

// Parses "METHOD target HTTP/1.1\r\nName: value\r\n...\r\n\r\nbody".
inline HttpRequest parse_http_request(const std::string& text) {
  HttpRequest r;
  const std::size_t head_end = text.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  std::istringstream head(text.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = line.rfind(' ');
  r.method = line.substr(0, sp1);
  r.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    const std::size_t colon = line.find(':');
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') {
      value.erase(0, 1);
    }
    r.headers.add(line.substr(0, colon), value);
  }
  r.body = text.substr(head_end + 4);
  return r;
}

inline std::vector<GoldenRequest> load_goldens() {
  std::vector<GoldenRequest> out;
  const std::filesystem::path root =
      std::filesystem::path(IBSIM_SOURCE_DIR) / "tests/mock_aws/protocol/golden";
  for (const char* client : {"awscli", "js-sdk"}) {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(root / client)) {
      files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      out.push_back(GoldenRequest{std::string(client) + "/" + path.filename().string(),
                                  parse_http_request(ss.str())});
    }
  }
  return out;
}

inline OperationRef op(ServiceId service, std::string_view name) {
  const auto found = find_operation(service, name);
  REQUIRE(found.has_value());
  return *found;
}

}  // namespace ibsim::mock_aws::protocol::testing
