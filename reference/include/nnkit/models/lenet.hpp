// The course's LeNet: layers built in the constructor, wired in forward().
// Written as the course writes it in PyTorch:
//
//   class LeNet(nn.Module):
//       def __init__(self, classes):
//           super(LeNet, self).__init__()
//           self.conv1 = nn.Conv2d(3, 6, 5)
//           self.conv2 = nn.Conv2d(6, 16, 5)
//           self.fc1 = nn.Linear(16*5*5, 120)
//           self.fc2 = nn.Linear(120, 84)
//           self.fc3 = nn.Linear(84, classes)
//       def forward(self, x):
//           out = F.relu(self.conv1(x));  out = F.max_pool2d(out, 2)
//           out = F.relu(self.conv2(out)); out = F.max_pool2d(out, 2)
//           out = out.view(out.size(0), -1)
//           out = F.relu(self.fc1(out));   out = F.relu(self.fc2(out))
//           return self.fc3(out)
//
// classes = 2: 61,326 parameters; state_dict keys conv1.weight ... fc3.bias.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "nnkit/nn/conv.hpp"
#include "nnkit/nn/linear.hpp"
#include "nnkit/nn/module.hpp"

namespace nnkit::models {

class LeNet : public nn::Module {
public:
    NNKIT_MODULE_COPY(LeNet)
    void relink() override {
        relink_member("conv1", conv1);
        relink_member("conv2", conv2);
        relink_member("fc1", fc1);
        relink_member("fc2", fc2);
        relink_member("fc3", fc3);
    }
    explicit LeNet(std::size_t classes);

    // x:(N, 3, 32, 32) -> (N, classes)
    Tensor forward(const Tensor& x) override;

    // The course's initialize_weights(): xavier_normal_ for convolutions,
    // normal_(0, 0.1) for linear layers, biases zero.
    void initialize_weights();

    std::shared_ptr<nn::Conv2d> conv1, conv2;
    std::shared_ptr<nn::Linear> fc1, fc2, fc3;
};

// ---- homework 1: the order in which construction fills the registries.
// One event per successful register_* call: the class whose registry grew
// ("LeNet", "Conv2d", ...), the registry ("parameter", "buffer", "module") and the name.
struct Registration {
    std::string owner, kind, name;
    bool operator==(const Registration& o) const { return owner == o.owner && kind == o.kind && name == o.name; }
};

// While alive, records every registration (nn::set_registration_listener);
// restores the previous listener when destroyed.
class RegistrationRecorder {
public:
    RegistrationRecorder();
    ~RegistrationRecorder();
    RegistrationRecorder(const RegistrationRecorder&) = delete;
    RegistrationRecorder& operator=(const RegistrationRecorder&) = delete;
    const std::vector<Registration>& events() const { return *events_; }

private:
    std::shared_ptr<std::vector<Registration>> events_;
    nn::RegistrationListener previous_;
};

// The registrations made while constructing LeNet(classes), in order.
std::vector<Registration> lenet_registration_order(std::size_t classes);

}  // namespace nnkit::models
