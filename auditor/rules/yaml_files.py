"""Reading the YAML of rule files and data lists so that no file can make the tool hang or crash.

YAML aliases let a few lines stand for an enormous document: nine anchors, each a list of nine
aliases of the one before ("billion laughs"), make 9^9 nodes out of ten lines. PyYAML builds that
quickly as a shared graph, but everything that walks the data afterwards — the duplicate-key check,
the schema validator, the checks themselves — visits every node of the expanded tree, and never
finishes. An alias may also name the node it is inside (`&a [*a]`), which makes the data endless.

So a file is composed once, the size of its tree *with aliases expanded* is counted on the
composed graph (each node once, memoized: a linear count), and a file whose aliases add more than
MAX_ALIAS_NODES nodes, or that refers to itself, is refused before anything else reads it. Aliases as
such stay allowed: rules/structure.yaml shares one pattern between two rules with `&rectified`. A
file without aliases is never refused for its size (that is bounded by the file itself).

Deeply nested flow collections (`[[[[…]]]]`) exhaust PyYAML's recursive composer: also refused,
with its own message, rather than crashing with a traceback.
"""

from __future__ import annotations

import yaml

# Nodes that aliases may add to a file. The shipped files have at most ~1,600 nodes in all, and
# their few aliases add a handful of scalars and one small mapping; a hand-written rules directory
# is far from this.
MAX_ALIAS_NODES = 100_000
_CAP = 1 << 62  # sizes stop growing here: past the limit, how far past does not matter


class YamlLimitError(ValueError):
    """A YAML file that cannot be read safely; str() is the Chinese cause, without the file name."""


def load_yaml(text: str) -> tuple[yaml.Node | None, object]:
    """(the composed node tree, the constructed data) of a YAML document, composed only once.

    Raises yaml.YAMLError for bad syntax and YamlLimitError for aliases that expand too far or
    refer to themselves, and for nesting too deep to read.
    """
    loader = yaml.SafeLoader(text)
    try:
        try:
            root = loader.get_single_node()
        except RecursionError:
            raise YamlLimitError("YAML 嵌套层数过多，无法读取") from None
        if root is None:
            return None, None
        expanded, distinct = _expanded_size(root)
        if expanded - distinct > MAX_ALIAS_NODES:
            raise YamlLimitError(f"YAML 别名展开后多出 {MAX_ALIAS_NODES} 个以上的节点（文件本身只有 {distinct} 个；"
                                 f"疑似“亿万笑”别名炸弹），拒绝读取")
        try:
            return root, loader.construct_document(root)
        except RecursionError:
            raise YamlLimitError("YAML 嵌套层数过多，无法读取") from None
    finally:
        loader.dispose()


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _expanded_size(root: yaml.Node) -> tuple[int, int]:
    """(nodes of the tree with every alias expanded, capped at 2^62; distinct nodes).

    Iterative post-order over the graph, each node once. A node met again while its own subtree is
    being counted is an alias to one of its ancestors: the data would be infinite.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()  # nodes whose subtree is being counted: the current path
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            sizes[key] = min(total, _CAP)
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise YamlLimitError("YAML 别名引用了包含它自己的节点（递归别名），无法读取")
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                raise YamlLimitError("YAML 别名引用了包含它自己的节点（递归别名），无法读取")
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)], len(sizes)
