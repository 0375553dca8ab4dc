"""configgen: device-tree cell descriptions compiled into validated binary configs."""
