#include "nnkit/autograd.hpp"

#include "nnkit/shape.hpp"

#include <xtensor/xstrided_view.hpp>

#include <unordered_map>
#include <unordered_set>

namespace nnkit::autograd {

bool should_record(const std::vector<Tensor>& inputs) {
    if (!is_grad_enabled()) return false;
    for (const auto& in : inputs)
        if (in.defined() && in.requires_grad()) return true;
    return false;
}

namespace {

// Where `t`'s gradient goes as the graph stands now. A later in-place op on `t` gives it a new
// grad_fn, and a node recorded before must still send its gradient to the old one: PyTorch's
// edges point at nodes, not tensors (sum(h), then relu_(h): the sum's gradient skips the ReLU).
// A leaf keeps its own handle: its .grad is where the gradient collects. A leaf that requires no
// grad gets no edge, as in PyTorch: its gradient is not computed (and stays so if requires_grad
// is set later), and the backward may return an empty array for it.
Tensor edge_to(const Tensor& t) {
    if (t.defined() && !t.requires_grad()) return Tensor();
    if (!t.defined() || !t.grad_fn()) return t;
    Tensor edge = t.detach();  // the same version
    // but no values (an array of shape (0,), not the real one): the node keeps the shape instead
    edge.impl()->data = std::make_shared<Array>(Array::from_shape({0}));
    edge.impl()->requires_grad = true;
    edge.impl()->grad_fn = t.grad_fn();
    return edge;
}

// PyTorch 1.13's nodes among nnkit's that save no tensor, only sizes or scalars
// (tools/autograd/derivatives.yaml): a backward may run through them again.
bool saves_no_tensor(const std::string& name) {
    static const std::unordered_set<std::string> names = {
        "AddBackward0", "SumBackward0", "MeanBackward0", "ViewBackward0", "UnsqueezeBackward0", "SqueezeBackward1",
        "ConstantPadNdBackward0", "BackwardHookFunctionBackward"};
    return names.count(name) != 0;
}

}  // namespace

std::shared_ptr<Node> make_node(std::vector<Tensor> inputs, std::string name, BackwardFn backward) {
    auto node = std::make_shared<Node>();
    node->saves_tensors = !saves_no_tensor(name);
    node->name = std::move(name);
    for (Tensor& in : inputs) {
        node->input_shapes.push_back(in.defined() ? Shape(in.data().shape().begin(), in.data().shape().end()) : Shape{});
        in = edge_to(in);
    }
    node->inputs = std::move(inputs);
    node->backward = std::move(backward);
    return node;
}

Tensor record(Tensor output, std::vector<Tensor> inputs, std::string name, BackwardFn backward) {
    if (!should_record(inputs)) return output;
    output.impl()->requires_grad = true;
    output.impl()->grad_fn = make_node(std::move(inputs), std::move(name), std::move(backward));
    return output;
}

Tensor record(Array output, std::vector<Tensor> inputs, std::string name, BackwardFn backward) {
    return record(Tensor(std::move(output)), std::move(inputs), std::move(name), std::move(backward));
}

Tensor record_view(const Tensor& input, const Shape& shape, const char* name) {
    const Shape in = input.shape();
    Array y = xt::reshape_view(input.data(), shape);
    if (!should_record({input})) return Tensor(std::move(y));
    return record(std::move(y), {input}, name, [in](const Array& g) { return grads(Array(xt::reshape_view(g, in))); });
}

SavedArray::SavedArray(const Tensor& t, std::string output_of) : output_of_(std::move(output_of)) {
    t.data();  // an undefined tensor throws here, with Tensor's message
    data_ = t.impl()->data;
    version_ = t.impl()->version;
    saved_version_ = *version_;
    if (output_of_.empty()) tensor_ = t.impl();
}

const Array& SavedArray::get() const {
    if (*version_ == saved_version_) return *data_;
    // PyTorch names the node that made the tensor: the saving node for its own output, else
    // the tensor's grad_fn now (a leaf, or a tensor without history, has none).
    std::string sizes;  // "[2, 3]", as torch prints a size
    for (std::size_t d : data_->shape()) sizes += (sizes.empty() ? "" : ", ") + std::to_string(d);
    std::string maker = output_of_;
    if (maker.empty())
        if (tensor_ && tensor_->grad_fn) maker = tensor_->grad_fn->name;
    throw ValueError("one of the variables needed for gradient computation has been modified by an inplace "
                     "operation: [torch.FloatTensor [" + sizes + "]]" +
                     (maker.empty() ? "" : ", which is output 0 of " + maker + ",") + " is at version " +
                     std::to_string(*version_) + "; expected version " + std::to_string(saved_version_) +
                     " instead. Hint: enable anomaly detection to find the operation that failed to compute its "
                     "gradient, with torch.autograd.set_detect_anomaly(True).");
}

namespace {

// Nodes in an order where every node comes before the nodes it feeds
// gradients into (reverse post-order of a depth-first walk), so a node runs
// only after all gradient contributions to its output have been summed.
std::vector<Node*> topological_order(Node* root) {
    std::vector<Node*> post;
    std::unordered_set<Node*> seen{root};
    std::vector<std::pair<Node*, std::size_t>> stack{{root, 0}};
    while (!stack.empty()) {
        auto& [node, next] = stack.back();
        if (next < node->inputs.size()) {
            const Tensor& in = node->inputs[next++];
            Node* child = in.defined() ? in.impl()->grad_fn.get() : nullptr;
            if (child && seen.insert(child).second) stack.push_back({child, 0});
        } else {
            post.push_back(node);
            stack.pop_back();
        }
    }
    return {post.rbegin(), post.rend()};
}

// sum += g, for gradients of the same shape (checked on the way in, and by Tensor::set_grad): a plain
// loop shared between threads (a weight's gradient can be large: 151 MB for AlexNet's fc1).
void add_into(Array& sum, const Array& g) {
    if (sum.shape() != g.shape())
        throw ShapeError("backward: cannot add a gradient of shape " + to_string(shape_of(g)) + " to one of shape " +
                         to_string(shape_of(sum)));
    float* s = sum.data();
    const float* a = g.data();
    const std::int64_t n = std::int64_t(sum.size());
#pragma omp parallel for schedule(static) if (n >= (1 << 16))
    for (std::int64_t i = 0; i < n; ++i) s[i] += a[i];
}

// Takes the gradient by value so that a fresh one is moved in, not copied (AlexNet's fc1 weight
// gradient is 151 MB).
void accumulate_grad(std::shared_ptr<Array>& slot, Array g) {
    if (!slot)
        slot = std::make_shared<Array>(std::move(g));
    else
        add_into(*slot, g);
}

void check_grad_shape(const Node& node, std::size_t i, const Array& g) {
    const Shape& want = node.input_shapes[i];
    if (!std::equal(want.begin(), want.end(), g.shape().begin(), g.shape().end()) ||
        want.size() != g.shape().size()) {
        const Shape got(g.shape().begin(), g.shape().end());
        throw ShapeError(node.name + " returned a gradient of shape " + to_string(got) + " for input " +
                         std::to_string(i) + ", whose shape is " + to_string(want));
    }
}

}  // namespace

void run_backward(const Tensor& root, const Array& grad_root, bool retain_graph) {
    if (!root.grad_fn()) {  // a leaf that requires grad: the gradient is the seed
        accumulate_grad(root.impl()->grad, grad_root);
        return;
    }
    std::unordered_map<Node*, Array> grads;
    grads[root.grad_fn().get()] = grad_root;
    for (Node* node : topological_order(root.grad_fn().get())) {
        auto it = grads.find(node);
        if (it == grads.end()) continue;
        const Array grad_out = std::move(it->second);
        grads.erase(it);
        if (node->released)
            throw ValueError(
                "Trying to backward through the graph a second time (or directly access saved tensors after they "
                "have already been freed). Saved intermediate values of the graph are freed when you call "
                ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph "
                "a second time or if you need to access saved tensors after calling backward.");
        std::vector<Array> grad_in = node->backward(grad_out);
        if (!retain_graph && node->saves_tensors) {
            node->backward = nullptr;  // frees what it saved, as PyTorch does
            node->released = true;
        }
        if (grad_in.size() != node->inputs.size())
            throw ValueError(node->name + " returned " + std::to_string(grad_in.size()) + " gradients for " +
                             std::to_string(node->inputs.size()) + " inputs");
        for (std::size_t i = 0; i < grad_in.size(); ++i) {
            const Tensor& in = node->inputs[i];
            if (!in.defined() || !in.requires_grad()) continue;
            check_grad_shape(*node, i, grad_in[i]);
            if (Node* next = in.impl()->grad_fn.get()) {
                auto [slot, fresh] = grads.try_emplace(next, std::move(grad_in[i]));
                if (!fresh) add_into(slot->second, grad_in[i]);  // not moved from: try_emplace moves only on insert
            } else {
                accumulate_grad(in.impl()->grad, std::move(grad_in[i]));
            }
        }
    }
}

}  // namespace nnkit::autograd
