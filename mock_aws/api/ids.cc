#include "mock_aws/api/ids.h"

#include "sim/base/assert.h"

namespace ibsim::mock_aws::api {

bool AccountId::is_valid(std::string_view text) {
  if (text.size() != 12) {
    return false;
  }
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

AccountId AccountId::from_valid(std::string_view text) {
  IBSIM_ASSERT(is_valid(text), "callers validate account ids before from_valid");
  return AccountId(std::string(text));
}

sim::Result<AccountId> parse_account_id(std::string_view text, std::string_view what) {
  if (!AccountId::is_valid(text)) {
    return sim::aws_error("InvalidParameterValue",
                          "Invalid " + std::string(what) + " '" + std::string(text)
                              + "': an AWS account id is exactly 12 digits");
  }
  return AccountId::from_valid(text);
}

Region Region::from_known(std::string_view name) {
  return Region(std::string(name));
}

}  // namespace ibsim::mock_aws::api
