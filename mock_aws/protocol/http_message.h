#pragma once
// The HTTP request and response that every protocol codec, the SigV4 verifier, the router, the
// HTTP front and the client transports exchange. Header names compare case-insensitively (the JS
// SDK sends lower-case names, the CLI mixed case); their original spelling and order are kept.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ibsim::mock_aws::protocol {

class Headers {
 public:
  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }

  // Replaces every field of that name with one.
  void set(std::string_view name, std::string value);
  void remove(std::string_view name);

  // First value of that name, or nullptr.
  const std::string* find(std::string_view name) const;

  std::string get(std::string_view name) const {
    const std::string* v = find(name);
    return v != nullptr ? *v : std::string();
  }

  // Every value of that name, in order (SigV4 joins repeated headers with commas).
  std::vector<std::string_view> all(std::string_view name) const;

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

bool iequals(std::string_view a, std::string_view b);

struct HttpRequest {
  std::string method;  // "POST", "GET", ...
  std::string target;  // Raw request target: path plus "?query", exactly as sent.
  Headers headers;
  std::string body;

  std::string_view path() const;   // target up to '?'
  std::string_view query() const;  // after '?', or empty
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
};

}  // namespace ibsim::mock_aws::protocol
