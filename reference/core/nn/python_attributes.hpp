// The attribute names PyTorch 1.13's modules already have (python_attributes.cpp, generated).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace nnkit::nn::detail {

const std::vector<std::string>& module_attributes();                            // nn.Module's
const std::map<std::string, std::vector<std::string>>& class_attributes();  // by type name, beyond those

}  // namespace nnkit::nn::detail
